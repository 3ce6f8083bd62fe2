package store_test

import (
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/storetest"
)

// BenchmarkDeskKeyGuess is one guess at the desk key wrapped under an
// approver's password at the production costs, what an attacker with a
// copied desk file pays per try. cpu-ms/guess is the CPU time of all
// argon2id lanes together, i.e. the time on one core, steady when other
// work shares the machine.
func BenchmarkDeskKeyGuess(b *testing.B) {
	_, priv, _ := seal.GenerateKey()
	blob, err := seal.EncryptPrivateKeyWith(priv, "mật-khẩu-người-duyệt", seal.DefaultKeyParams)
	if err != nil {
		b.Fatal(err)
	}
	cpu0, n := storetest.ProcessCPU(), 0
	for b.Loop() {
		seal.DecryptPrivateKey(blob, "một-lần-đoán-sai")
		n++
	}
	if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/guess")
	}
}

// BenchmarkPasswordGuess is one guess at an officer's hash at the
// production costs.
func BenchmarkPasswordGuess(b *testing.B) {
	hash, err := store.HashPassword("mật-khẩu-cán-bộ", store.DefaultPasswordParams)
	if err != nil {
		b.Fatal(err)
	}
	cpu0, n := storetest.ProcessCPU(), 0
	for b.Loop() {
		store.CheckPassword(hash, "một-lần-đoán-sai")
		n++
	}
	if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/guess")
	}
}
