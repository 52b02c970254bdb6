// Command bulletin-eval measures relevance on the judged query set
// (testdata/eval): nDCG@10, MRR and zero-result rate, overall and per type;
// then page splitting and districts on the real-text set (testdata/real):
// split accuracy, district precision and recall, and the share of
// non-Beijing text given a Beijing district; then recall on real text
// (testdata/recall): recall, complete-recall share, zero-result share and
// R-precision per query length; then the search box's syntax and search by
// document number (testdata/govsyntax): the cases answered right, the
// number queries finding their document at rank 1, hostile queries; then
// the government-document fields on their dev set (testdata/govdocs):
// accuracy per field.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/govbulletin/bulletin/devtools/eval"
)

func main() {
	root := flag.String("root", ".", "repository root")
	asJSON := flag.Bool("json", false, "print JSON")
	perKind := flag.Int("recall", 150, "real-text recall queries of each kind (0: skip the recall run)")
	flag.Parse()
	judged, err := eval.Load(filepath.Join(*root, "testdata", "eval", "judgments.tsv"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	eng, done, err := eval.Open(context.Background(), *root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer done()
	rep, err := eval.Run(context.Background(), eng, judged)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	real, err := eval.RunReal(context.Background(), *root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dd, err := eval.RunDedup(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fields, err := eval.RunGovFields(context.Background(), *root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var rec *eval.RecallReport
	if *perKind > 0 {
		if rec, err = eval.RunRecall(context.Background(), *root, *perKind); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	gov, err := eval.RunGovdocs(context.Background(), *root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(rep)
		json.NewEncoder(os.Stdout).Encode(real)
		json.NewEncoder(os.Stdout).Encode(dd)
		json.NewEncoder(os.Stdout).Encode(fields)
		if rec != nil {
			json.NewEncoder(os.Stdout).Encode(rec)
		}
		json.NewEncoder(os.Stdout).Encode(gov)
		return
	}
	rep.Print(os.Stdout)
	fmt.Println()
	real.Print(os.Stdout)
	fmt.Println()
	dd.Print(os.Stdout)
	fmt.Println()
	fields.Print(os.Stdout)
	if rec != nil {
		fmt.Println()
		rec.Print(os.Stdout)
	}
	fmt.Println()
	gov.Print(os.Stdout)
}
