package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seal"
	"thonghanh/store/storetest"
)

// BenchmarkProvinceReportMonth measures the province report (its figures
// and the PDF) over a month of province traffic: every administrative unit
// below the province and the industrial-parks board (184 units), 2,800
// applications each (about 515,000), some 300,000 permits with one scan
// each, and 1 in 50 scanned again outside its hours. The centre is built
// once per run, straight into its tables.
func BenchmarkProvinceReportMonth(b *testing.B) {
	ctx := context.Background()
	all, err := store.ProvinceUnits()
	if err != nil {
		b.Fatal(err)
	}
	district := map[uint32]uint32{}
	checkpointIn := map[uint32]uint32{store.ProvinceCode: 28249}
	var units []uint32
	for _, u := range all {
		if !u.Administrative() || u.Level == 1 {
			continue
		}
		units = append(units, u.Code)
		if u.Level == 3 {
			district[u.Code] = u.Parent
			if _, ok := checkpointIn[u.Parent]; !ok {
				checkpointIn[u.Parent] = u.Code
			}
		}
	}
	units = append(units, 820301)
	start := time.Date(2021, 9, 1, 0, 0, 0, 0, store.Vietnam)
	tr := genTraffic(2021, units, district, checkpointIn, 2800, start, 30, store.DefaultMaxDays)
	for i, p := range tr.permits {
		if i%50 == 0 {
			cp := tr.scans[i].checkpoint
			tr.scans = append(tr.scans, trafficScan{p.serial, p.validFrom + 20*3600, cp, string(seal.Valid)})
		}
	}
	dir := newTrafficCentre(b, tr)
	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Logf("%d units, %d applications, %d permits, %d scans", len(units), len(tr.apps), len(tr.permits), len(tr.scans))
	var size, permits int
	cpu0 := storetest.ProcessCPU()
	for b.Loop() {
		r, err := db.ProvinceReport(ctx, start, start.AddDate(0, 0, 29))
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := writeProvinceReportPDF(&buf, r, reportHeader{SignerFor: "KT. CHỈ HUY TRƯỞNG", SignerTitle: "CHỈ HUY PHÓ"}); err != nil {
			b.Fatal(err)
		}
		size, permits = buf.Len(), r.Province.PermitsTotal
	}
	// CPU time per report holds steady when other work shares the machine.
	if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
	b.ReportMetric(float64(size), "pdf_bytes")
	b.ReportMetric(float64(permits), "permits")
}
