package seed

import (
	"context"

	"thonghanh/store"
)

// demoEnterprises are plausible employers, each under the unit that licenses
// its workers' permits.
var demoEnterprises = []store.Enterprise{
	{Name: "Công ty TNHH Giày da Mỹ Phong", TaxCode: "1200100101", District: 815, ManagingUnit: 820301},
	{Name: "Công ty CP Thủy sản Hùng Vương (KCN Mỹ Tho)", TaxCode: "1200100102", District: 815, ManagingUnit: 820301},
	{Name: "Công ty TNHH May mặc Tân Hương", TaxCode: "1200100103", District: 821, ManagingUnit: 820301},
	{Name: "Công ty TNHH Vận tải hành khách Tiền Giang", TaxCode: "1200100104", District: 815, ManagingUnit: 820102},
	{Name: "Công ty CP Thương mại Mỹ Tho", TaxCode: "1200100105", District: 815, ManagingUnit: 820101},
	{Name: "Bưu điện tỉnh Tiền Giang", TaxCode: "1200100106", District: 815, ManagingUnit: 820103},
	{Name: "Công ty TNHH Chế biến trái cây Cái Bè", TaxCode: "1200100107", District: 819, ManagingUnit: 819},
	{Name: "Hợp tác xã Nông nghiệp Tân Phước", TaxCode: "1200100108", District: 818, ManagingUnit: 818},
	{Name: "Công ty CP Lương thực Chợ Gạo", TaxCode: "1200100109", District: 822, ManagingUnit: 822},
	{Name: "Công ty TNHH Thủy sản Gò Công", TaxCode: "1200100110", District: 816, ManagingUnit: 820301},
}

func seedEnterprises(ctx context.Context, db *store.DB) ([]store.Enterprise, error) {
	out := make([]store.Enterprise, 0, len(demoEnterprises))
	for _, e := range demoEnterprises {
		e, err := db.PutEnterprise(ctx, "", e)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// seedZone puts hamlets 1 and 2 of the desk's commune under a high-risk zone
// with two sales points.
func seedZone(ctx context.Context, db *store.DB, units *store.UnitIndex, commune store.Unit) error {
	z, err := db.CreateZone(ctx, store.System(), store.Zone{Commune: commune.Code, Name: "Vùng nguy cơ cao " + commune.Name,
		Risk: store.RiskHigh, Hamlets: []string{hamlet(units, commune.Code, 0), hamlet(units, commune.Code, 1)}})
	if err != nil {
		return err
	}
	for _, m := range []store.Market{
		{Name: "Chợ " + commune.Name, Hamlets: []string{hamlet(units, commune.Code, 0)}, OpenMinute: 6 * 60, CloseMinute: 10 * 60, Capacity: 40},
		{Name: "Điểm bán hàng lưu động Ấp 2", Hamlets: []string{hamlet(units, commune.Code, 1)}, OpenMinute: 7 * 60, CloseMinute: 11 * 60, Capacity: 25},
	} {
		m.ZoneID = z.ID
		if _, err := db.CreateMarket(ctx, store.System(), m); err != nil {
			return err
		}
	}
	return nil
}
