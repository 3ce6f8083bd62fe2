// Package print turns plain values into paper: travel permits (giấy đi đường)
// and market-trip vouchers (phiếu đi chợ) as PDF, each carrying its signed QR
// drawn as vector rectangles, the province's accountability report (báo cáo
// toàn tỉnh: tables by district and unit, charts drawn as vectors), plus a
// half-block terminal preview of a QR for the TUI.
//
// Its room: page layout in the style of a Vietnamese administrative document
// (Nghị định 30/2020/NĐ-CP), the embedded Liberation Serif fonts (Times New
// Roman metrics, every Vietnamese letter), NFC normalisation and the check
// that every character can be printed, and QR geometry. The QR symbols are
// those of github.com/skip2/go-qrcode at level Q, module for module, made
// by a faster encoder of its own (qrenc.go; the tests hold it to skip2).
//
// What it may not touch: it knows no database and no terminal program. It
// never imports thonghanh/store or thonghanh/tui; it takes values (Permit,
// Voucher whose QR text was already sealed by the caller, ProvinceReport
// whose figures cmd copied from store/central) and writes bytes
// to an io.Writer. Only its tests import thonghanh/store/seal, to print real
// sealed texts and verify them after a scan. Bad input gets an error in
// Vietnamese before anything is drawn or written; nothing here panics on
// user text.
package print
