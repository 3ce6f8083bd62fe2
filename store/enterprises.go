package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Enterprise is an employer whose workers hold category-1 permits.
type Enterprise struct {
	ID           string
	Name         string
	TaxCode      string
	District     uint32 // where it operates
	ManagingUnit uint32 // the unit that licenses its workers' permits
}

// NormalizeEnterprise checks and cleans an enterprise as a desk registers
// it; the centre re-checks a pushed one with it, so a commune can no more
// become an enterprise's managing unit there than on the desk.
func NormalizeEnterprise(e Enterprise, units *UnitIndex) (Enterprise, error) {
	name, err := CleanText(FieldEnterpr, e.Name, 200)
	if err != nil {
		return e, err
	}
	if name == "" {
		return e, invalid(FieldEnterpr, "tên doanh nghiệp không được để trống")
	}
	e.Name = name
	e.TaxCode = strings.TrimSpace(e.TaxCode)
	if len(e.TaxCode) != 10 && len(e.TaxCode) != 14 || !isDigits(strings.ReplaceAll(e.TaxCode, "-", "")) {
		return e, invalid("Mã số thuế", "phải có 10 số (hoặc 10 số, gạch ngang, 3 số)")
	}
	if _, ok := units.Get(e.District); !ok {
		return e, invalid(FieldEnterpr, "không có huyện mã %d", e.District)
	}
	m, ok := units.Get(e.ManagingUnit)
	if !ok || !m.LicensesWorkers() {
		return e, invalid("Đơn vị quản lý", "phải là Ban Quản lý các KCN, Sở Công Thương, Sở Giao thông vận tải, Sở Thông tin và Truyền thông hoặc UBND huyện")
	}
	return e, nil
}

// PutEnterprise creates or updates (by tax code) an enterprise.
func (db *DB) PutEnterprise(ctx context.Context, actor string, e Enterprise) (Enterprise, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return e, err
	}
	if e, err = NormalizeEnterprise(e, units); err != nil {
		return e, err
	}
	err = db.Write(ctx, func(tx *Tx) error {
		err := tx.QueryRow(`SELECT id FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&e.ID)
		if errors.Is(err, sql.ErrNoRows) {
			e.ID = NewID(tx.Now)
			_, err = tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
				e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit)
		} else if err == nil {
			_, err = tx.Exec(`UPDATE enterprises SET name = ?, folded = ?, district = ?, managing_unit = ? WHERE id = ?`,
				e.Name, Fold(e.Name), e.District, e.ManagingUnit, e.ID)
		}
		if err != nil {
			return err
		}
		return tx.enqueue("enterprise", e.ID, "put", EnterpriseToWire(e))
	})
	return e, err
}

// Enterprise returns the enterprise with id.
func (db *DB) Enterprise(ctx context.Context, id string) (Enterprise, error) {
	var e Enterprise
	err := db.sql.QueryRowContext(ctx, `SELECT id, name, tax_code, district, managing_unit FROM enterprises WHERE id = ?`, id).
		Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit)
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("không có doanh nghiệp %s", id)
	}
	return e, err
}

// Enterprises lists every enterprise, by name.
func (db *DB) Enterprises(ctx context.Context) ([]Enterprise, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, name, tax_code, district, managing_unit FROM enterprises ORDER BY folded`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Enterprise
	for rows.Next() {
		var e Enterprise
		if err := rows.Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
