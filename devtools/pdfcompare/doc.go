// Command pdfcompare measures the PDF libraries weighed for reading PDFs, on one
// file: pages/s of text extraction and whether Chinese text comes out
// right (the phrases given must appear in the extracted text). One library
// a process, so that /usr/bin/time gives each one's peak memory:
//
//	cd devtools/pdfcompare
//	/usr/bin/time -f '%e s %M KB' go run . -lib pdfium FILE.pdf 海淀区社区卫生服务中心 养老驿站
//
// It is a separate module so that the product does not depend on the
// libraries it did not choose.
package main
