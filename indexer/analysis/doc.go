// Package analysis turns Chinese text into terms: normalisation, jieba word
// segmentation (search mode for indexing, default mode for queries, HMM off)
// and character bigrams. The indexer uses it to analyse articles and the
// search package uses it to analyse queries, so both sides always agree.
//
// # Normalisation
//
// Normalization is rune-for-rune: every input rune maps to exactly one output
// rune. That keeps rune offsets of the normalised text equal to those of the
// original, so matches found in normalised text can be marked in the original
// (snippets) without an offset table.
//
// The steps, the same at index and at query time:
//   - NUL and U+FFFD become spaces: each invalid byte of the input counts
//     as one rune (U+FFFD), so it becomes one space (CleanText, which the
//     callers apply first, has already made invalid bytes U+FFFD and other
//     control bytes spaces: cgo and bleve get clean text);
//   - full-width forms fold to half-width (ＡＢＣ１２３ → ABC123, 　 → space);
//   - Latin letters are lower-cased;
//   - traditional characters map to simplified ones (養老驛站 → 养老驿站), from
//     OpenCC's character table (t2s), via the kept library.
//
// # Lone characters and join bigrams
//
// Lone characters and join bigrams.
//
// With HMM off, jieba leaves a word that no dictionary has as lone characters
// beside the words it knows: 首钢园 → 首钢 园, 京西智谷 → 京西 智 谷. A lone
// character is a default-mode word of one Han character that is not a stop
// word. For the body, the index keeps only the character bigrams that lone
// characters make with the words they touch (钢园; 西智 智谷 谷X): the join
// bigrams. The query side joins a lone character to the word it touches (see
// JoinsOf) and asks for the same bigrams, plus the known pieces as words.
// That finds unknown words at about a ninth of the cost of indexing every
// bigram of the body (measured on bulletin text: 214 k distinct join bigrams
// per 1,000 pages against 1.81 M bigrams), and it keeps one rule for both
// sides. Titles, which are short, keep every bigram.
//
// # Han pairs
//
// Han pairs: the character bigrams of Han text, as numbers.
//
// Every two adjacent Han characters of a text make one pair; the pairs of
// an article (title and body), without duplicates, are what the index's
// pair sets hold (see indexer/pairsets.go), and the pairs of a query are
// what a search intersects. A text holds a run of Han characters only if it
// holds every pair of the run, however jieba cuts the text in context, so
// the intersection is a superset of the articles that hold the run: exact
// for two characters, nearly exact for more.
package analysis
