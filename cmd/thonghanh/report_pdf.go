package main

import (
	"io"

	"thonghanh/print"
	"thonghanh/store/central"
)

// reportHeader is what the province report's PDF says of itself beyond the
// figures: who issues it, its number, who signs.
type reportHeader struct {
	Number, SignerFor, SignerTitle, SignerName string
}

// The issuer and the addressees of the province report: the province's
// Command Centre reports to the Chairman of the Provincial People's
// Committee (Nghị định 30/2020's layout).
const (
	reportIssuerParent = "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG"
	reportIssuer       = "TRUNG TÂM CHỈ HUY PHÒNG, CHỐNG DỊCH COVID-19"
	reportTitle        = "BÁO CÁO Tình hình cấp giấy đi đường của các đơn vị trên địa bàn tỉnh"
	reportPlace        = "Tiền Giang"
)

var reportRecipients = []string{"Chủ tịch UBND tỉnh (b/c)", "Các thành viên Trung tâm Chỉ huy tỉnh", "UBND các huyện, thị xã, thành phố", "Lưu: VT"}

// writeProvinceReportPDF renders the centre's figures with package print's
// renderer, copying them field by field into print's own values.
func writeProvinceReportPDF(w io.Writer, r central.ProvinceReport, h reportHeader) error {
	p := print.ProvinceReport{
		IssuerParent: reportIssuerParent, Issuer: reportIssuer, DocNumber: h.Number, Place: reportPlace,
		Date: r.MadeAt, Title: reportTitle, SignerFor: h.SignerFor, SignerTitle: h.SignerTitle, SignerName: h.SignerName,
		Recipients: reportRecipients,
		From:       r.From, To: r.To, MadeAt: r.MadeAt,
		Province: printUnit(r.Province),
	}
	for _, c := range r.Categories {
		p.Categories = append(p.Categories, print.ReportCategory{Code: c.Code, Name: c.Name, MaxDays: c.MaxDays})
	}
	for _, d := range r.Districts {
		pd := print.ReportDistrict{Code: d.Code, Name: d.Name, Totals: printUnit(d.Totals)}
		for _, u := range d.Units {
			pd.Units = append(pd.Units, printUnit(u))
		}
		p.Districts = append(p.Districts, pd)
	}
	for _, d := range r.PerDay {
		p.PerDay = append(p.PerDay, print.DayPermits{Day: d.Day, ByCategory: d.ByCategory})
	}
	for _, a := range r.Attention {
		p.Attention = append(p.Attention, print.AttentionPoint{Unit: a.Unit, UnitName: a.UnitName, Measure: a.Measure,
			Label: a.Label, Value: a.Value, Province: a.Province})
	}
	return print.WriteProvinceReport(w, p)
}

func printUnit(u central.UnitFigures) print.ReportUnit {
	p := print.ReportUnit{Code: u.Code, Name: u.Name, ReceivedWalkIn: u.ReceivedWalkIn, ReceivedOnline: u.ReceivedOnline,
		Approved: u.Approved, Rejected: u.Rejected, Forwarded: u.Forwarded, PendingAtEnd: u.PendingAtEnd, OldestPending: u.OldestPending,
		PermitsByCategory: u.PermitsByCategory, PermitsTotal: u.PermitsTotal, Revoked: u.Revoked, AbusePer1000: u.AbusePer1000,
		Abuse: print.AbuseFigures{OutsideArea: u.Abuse.OutsideArea, OutsideHours: u.Abuse.OutsideHours, ManyCheckpoints: u.Abuse.ManyCheckpoints}}
	for _, v := range u.Validity {
		p.Validity = append(p.Validity, print.ValidityFigures{Permits: v.Permits, AvgDays: v.AvgDays, LongDays: v.LongDays,
			MaxDays: v.MaxDays, OverMax: v.OverMax})
	}
	for _, rc := range u.RevocationReasons {
		p.RevocationReasons = append(p.RevocationReasons, print.ReasonCount{Reason: rc.Reason, Count: rc.Count})
	}
	return p
}
