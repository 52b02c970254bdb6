// Package source reads input files into articles: it detects charsets,
// parses front matter and metadata, and splits bulletin pages into articles.
// It knows nothing about indexing or search.
//
// # Bulletin pages
//
// A bulletin page (plain text or Markdown) holds one or more articles laid
// out like a newspaper page, often OCR'd. SplitPage tells its lines apart:
//
//	H  a Markdown heading (`## …`)
//	B  a byline (`□本报记者 …`, `记者 … 通讯员 …`, `本报评论员`)
//	O  a sign-off or credit line (see rule 5)
//	P  a body paragraph (long, or with sentence punctuation)
//	S  a short line without closing punctuation: headline, subtitle, kicker,
//	   section head, photo caption or a line of an infographic box
//
// Lines broken mid-sentence (OCR column breaks, a blank line between the two
// halves) are joined back first. Then article starts are found:
//
//  1. a headline block (H/S lines, at most a few, one blank line apart)
//     directly followed by a byline, or by a paragraph that opens with a
//     dateline byline (本报讯…);
//
//  2. on pages without any byline: every heading of the page's top level;
//
//  3. a block of short lines after a large gap (or at the top of the page)
//     that is followed by body text: a plain-text headline with its subtitles;
//
//  4. a block of three or more short lines after a large gap that is not
//     followed by body text: an infographic box, which is an article of its
//     own (its first line is the title).
//
//  5. what closes an article: a sign-off or credit line (O: （新华社北京1月1日电）,
//     （记者 张三摄）, （张明 赵天华）, （本栏均据新华社电）, 本版编辑：…, also with a
//     photo's number after it: （本报渥太华电）（3）) always; on a
//     dense page (one paragraph a line, no blank lines, as e-paper and PDF
//     exports come) also a paragraph that closes its sentence, unless the
//     page has no newspaper marks (a sign-off, two bylines or datelines, a
//     masthead date or a column of briefs) and its candidate headlines look
//     like one article's subheads: all of one length, or all short phrases
//     and phrase pairs (see parallelSubheads). After it, a run of short lines followed by body text is the
//     next article's headline group (inside an article that opened with a
//     byline or dateline, a lone short line is a subhead, unless what follows
//     tells a brief's headline: one paragraph, then another such headline, a
//     sign-off or the end of the page, see briefHeadline), and a paragraph
//     right after a sign-off starts an untitled article;
//
//  6. a photo marker （图片） starts an item titled by its caption;
//
//  7. an editor's note (编者按, 编者的话) right before a headline belongs to
//     that article.
//
// A headline group may hold a kicker, the main headline and a sub-headline:
// the title is a Markdown heading if there is one, else the first line that
// is not a column name (four characters or fewer), a series label, a date
// line, a parenthesised note or a ——sub-headline, preferring one without
// inner spaces (坚定信心 实干笃行 is a kicker).
//
// A document printed whole stays one article: once an article's title names
// a document (…条例, …决定, …报告) and the document follows (the title opens
// the page, or a note, contents, section or salutation comes next; a news
// headline about a document, 泰国通过新的野生动物保护法, does not count), it opens
// with a salutation (各位代表：) or it has enumerated sections (目录, 第一章,
// 一、, （一）), rule 5's dense-page clause is off until the next byline,
// dateline, sign-off or photo, or the article that puts it in force
// (本条例自…起施行。): its short lines are section heads. Enumerated lines are never headlines, nor
// are lines that end open (…《, …，) or that a line opening mid-sentence
// (、…, 》…) follows.
//
// A "large gap" is wider than the page's usual gap between paragraphs (on a
// dense page, any blank line). Everything else (section heads, captions,
// lone lines) stays inside the article it sits in. Bylines, sign-offs and
// credits are not part of the body.
//
// # Page layout
//
// Page layout: from positioned text (the characters of a PDF text layer, or
// the words OCR found on a scanned page) to the plain text of a bulletin
// page, which SplitPage then splits into articles like any text page.
//
//  1. Pieces of text on one baseline that touch are joined into fragments;
//     a wide gap (a column gutter) ends a fragment.
//  2. Running headers and footers are dropped: lines in the top or bottom
//     band of a page that are page numbers (- 3 -, 第3版, 3/12), a
//     masthead (a short top line with a date or 第N版/期), editorial
//     credits (责任编辑 …), or text repeated in the same band on other
//     pages. The
//     first date of a dropped top line is the page's date.
//  3. The rest is cut recursively into blocks (an XY cut): first at
//     horizontal bands of white space taller than a line gap that cross the
//     whole block, else at vertical gutters; blocks are read top to bottom,
//     and left to right across gutters. So a two-column page is read column
//     by column, and a headline across both columns comes before them,
//     also when it sits close above them (a few top or bottom lines are
//     peeled off when the rest has columns).
//  4. Inside a block, lines are grouped into paragraphs: a new paragraph
//     starts at a first-line indent, a change of type size, a wider gap, or
//     after a line that stops short of the right edge (a centred line under
//     a full centred one of the same size continues it: a headline that
//     wraps). The lines of a
//     paragraph are joined: directly between Chinese characters (a word
//     broken across lines becomes whole again), with a space between Latin
//     words, and a hyphen at a line end is dropped.
//  5. Paragraphs become lines of text, one a line with no blank lines: the
//     dense layout of e-paper and PDF exports, which SplitPage reads by the
//     form of each line (headline groups, bylines, datelines, sign-offs).
//
// # PDF
//
// PDF files are read with PDFium (the PDF engine of Chromium) compiled to
// WebAssembly and run by wazero inside the process: no cgo, no external
// program; a crash in PDFium is an error of the file being read, not of
// the process, and its memory has a limit. (A PDF that kept PDFium busy
// forever would not be stopped: go-pdfium's calls take no context.) See
// README.md for the comparison with the other libraries.
//
// # Scanned pages
//
// Scanned pages (a PDF page with an image and no text layer) are read by
// Debian's tesseract with its Simplified Chinese model (chi_sim), run as a
// separate program when it is installed: PDFium renders the page to a
// grey image, tesseract returns its words with their boxes (TSV), and the
// words go through the same layout as a text layer (layout.go). Without
// tesseract the binary still runs; scanned pages are skipped with the reason.
//
// # Word documents
//
// A Word document (.docx, Office Open XML) is a zip of XML parts. ReadDOCX
// reads word/document.xml as a stream: paragraphs in order, a table as one
// paragraph (cells separated by " | ", rows by ；), text boxes after the
// paragraph that anchors them; deleted revisions, field codes and the
// fallback copies of drawings are left out. Paragraphs with a heading style
// (a name like Heading 1 / 标题 1, or an outline level, followed through
// the styles it is based on) or that look like headlines (short, no closing
// punctuation, and bold, centred or larger than the body text) start
// articles; then the text goes through SplitPage like a text page, so
// bylines and the rest are told apart the same way. docProps/core.xml gives
// the title and created date as metadata.
//
// Every part is read through a limit (a decompression bomb stops at it,
// with a reason), and only the parts named above are opened.
//
// # Government web pages
//
// A government web page is one article: its title and publication date come
// from the standard meta tags of government sites (ArticleTitle, PubDate,
// ContentSource, …) when present, otherwise from the page (<h1>, <title>,
// a visible 发布时间：… line). Only the article body is indexed: the main
// content container (a known CMS container such as TRS_Editor, else the block
// with the most prose and the least navigation), without scripts, styles,
// navigation, share bars, breadcrumbs or footer boilerplate.
//
// # Government documents
//
// A numbered government document states its fields (Meta.DocNo, Issuer,
// Written, IndexNo, Category, Validity) in one of these ways, all read:
//
//   - on a web page, a metadata block (信息公开): a list
//     (`<li>[发文字号] 京政办发〔2016〕26号</li>`), a table (a label cell and
//     its value cell, one or several pairs a row) or `标签：值` lines, in
//     simplified or traditional script (govdoc.Block reads the labels). An
//     element whose lines are mostly such fields, stating a number or three
//     other fields, is the block: read, then taken out of the page, so its
//     labels never reach the body; runs of `标签：值` lines inside the
//     content are taken out the same way. The block's 发布日期 is the date
//     when no meta tag gave one;
//   - in the text of any page, PDF or Word document (web pages too): the
//     number line in its first lines (a line that is only a number, perhaps
//     in parentheses or after its label, or a number that a PDF's layout
//     joined to the salutation under it), and the signature closing it: one
//     or more office lines (govdoc.Office), then a date line in digits or
//     Chinese numerals, perhaps with notes such as （此件公开发布） after it.
//     A signature never starts an article of its own. A page holding one
//     document is read whole (its number may stand above the title); each
//     article of a bulletin page is read on its own;
//   - in a JSON record (an export's line or a written article), fields named
//     doc_no, 文号, 发文字号 or pcode; issuer, 发文机关 or puborg; written or
//     成文日期; index_no or 索引号; category or 主题分类; validity or 有效性
//     (fieldmap.go). A bad value (a number with no year, a date that is no
//     date, a value longer than govdoc.MaxValueRunes) is dropped with a
//     Problem, as other fields are.
//
// What the input gives wins over what the text states. A number is
// normalised (govdoc.Parse: 京政办发〔2016〕26号); dates written are
// YYYY-MM-DD by the date rules of dates.go and cndates.go.
//
// # JSON Lines exports
//
// JSON Lines exports hold one article per line:
//
//	{"id": "hd-2022-0815", "title": "…", "body": "…", "date": "2022-08-15",
//	 "source": "…", "url": "…", "districts": ["海淀区"], "topics": ["教育"]}
//
// title and body are required; a line without them, or that is not a JSON
// object, is skipped with a Problem naming the line. id is optional: without
// it the url is the id, else the indexer derives one from the file and line.
// Other systems' names are understood (content or text for body; pubDate,
// publish_time or published_at for date; link for url), and a FieldMap
// (--map body=FIELD,...) names any other. A bad optional field (a date that
// is not a date, districts that are not names) drops only that field, also
// with a Problem. Each article keeps its own date (Page.Shared is false).
// A `year` (2012, "2012") gives the year of an article without a date.
// Two lines with one id are not a problem here: the indexer keeps the later.
//
// Exports can be of any size: a JSONLScanner reads one a few lines at a
// time, so memory does not grow with the file.
//
// # Charsets
//
// The one charset detector of the readers: plain-text pages (DecodeText)
// and web pages (decodeHTML, which adds the charset the page declares and
// byte-order marks that decide) decode their bytes the same way.
//
// Chinese files are often mislabelled or unlabelled. Bytes that are valid
// UTF-8 and not pure ASCII are read as UTF-8 whatever the label says; bytes
// that are not valid UTF-8 are tried as GB18030 (a superset of GB2312 and
// GBK) when the label is missing, UTF-8 or GB-family, then as Big5 (the
// traditional pages some sites serve) when it is missing or UTF-8; Latin-1
// labels are checked for mislabelled GB18030, and a page that declares
// Big5 is read as Big5. The result must be mostly text (see
// mostlyText).
package source
