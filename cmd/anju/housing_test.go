package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// importFile sends a spreadsheet to the import endpoint as staff would.
// importFile uploads a units sheet.
func (in *instance) importFile(t *testing.T, token, format string, body []byte) response {
	t.Helper()
	return in.postFile(t, token, "/v1/housing/units/import?format="+format, body)
}

// postFile uploads a file as the body of a POST, with a fresh Idempotency-Key.
func (in *instance) postFile(t *testing.T, token, path string, body []byte) response {
	t.Helper()
	req, _ := http.NewRequest("POST", in.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Idempotency-Key", newKey())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: buf.Bytes()}
}

func (in *instance) unitCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := in.DB.Pool().QueryRow(context.Background(), `SELECT count(*) FROM units`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestInventory: housing staff keep properties and units and import units
// in bulk; a file with any bad row imports nothing and says which rows.
func TestInventory(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	staff := in.staff(t, admin, "housing", "")
	grad := in.signUp(t)

	prop := map[string]any{"name": "慈溪人才公寓一期", "district": "慈溪市", "address": "新城大道 1 号"}
	if r := in.call(t, "POST", "/v1/housing/properties", grad, prop, "Idempotency-Key", newKey()); r.Status != 403 {
		t.Fatalf("a graduate adding a property: %d", r.Status)
	}
	var p struct{ ID string }
	r := in.call(t, "POST", "/v1/housing/properties", staff, prop, "Idempotency-Key", newKey())
	if r.Status != 201 {
		t.Fatalf("create property: %d %s", r.Status, r.Body)
	}
	r.json(t, &p)
	var unit struct{ ID, Area, Status string }
	r = in.call(t, "POST", "/v1/housing/properties/"+p.ID+"/units", staff,
		map[string]any{"number": "1-101", "layout": "studio", "area": "35.5", "floor": 1, "marketRent": 180000}, "Idempotency-Key", newKey())
	r.json(t, &unit)
	if r.Status != 201 || unit.Area != "35.50" || unit.Status != "available" {
		t.Fatalf("create unit: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "PUT", "/v1/housing/units/"+unit.ID, staff,
		map[string]any{"number": "1-101", "layout": "studio", "area": "35.5", "floor": 1, "marketRent": 180000, "status": "maintenance"})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"maintenance"`) {
		t.Fatalf("update unit: %d %s", r.Status, r.Body)
	}

	good := "\ufeff楼盘,房号,户型,面积,楼层,市场租金\n慈溪人才公寓一期,1-102,1br,48.25,1,2200\n慈溪人才公寓一期,1-201,2br,72,2,3100.50\n"
	if r := in.importFile(t, staff, "csv", []byte(good)); r.Status != 201 || !strings.Contains(string(r.Body), `"imported":2`) {
		t.Fatalf("csv import: %d %s", r.Status, r.Body)
	}
	before := in.unitCount(t)
	bad := "property,number,layout,area,floor,rent\n" +
		"慈溪人才公寓一期,2-101,studio,30,2,1500\n" +
		"慈溪人才公寓一期,2-102,penthouse,30,2,1500\n" +
		"没有这个楼盘,2-103,1br,abc,2,1500\n" +
		"慈溪人才公寓一期,2-101,studio,30,2,1500\n"
	r = in.importFile(t, staff, "csv", []byte(bad))
	p2 := r.problem(t)
	if r.Status != 422 || p2.Code != "import_rejected" || p2.field("rows[3].layout") != "layout_unknown" ||
		p2.field("rows[4].property") != "property_unknown" || p2.field("rows[4].area") != "number_format" ||
		p2.field("rows[5].number") != "duplicate_in_file" {
		t.Fatalf("bad csv: %d %s", r.Status, r.Body)
	}
	if in.unitCount(t) != before {
		t.Fatal("a rejected file imported rows")
	}

	book := excelize.NewFile()
	sheet := book.GetSheetName(0)
	for i, row := range [][]any{{"property", "number", "layout", "area", "floor", "rent"}, {"慈溪人才公寓一期", "3-101", "3br", "95.5", 3, "4200"}} {
		cellName, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = book.SetSheetRow(sheet, cellName, &row)
	}
	var xlsx bytes.Buffer
	_ = book.Write(&xlsx)
	if r := in.importFile(t, staff, "xlsx", xlsx.Bytes()); r.Status != 201 {
		t.Fatalf("xlsx import: %d %s", r.Status, r.Body)
	}
	// A number already in the property rejects the whole file.
	if r := in.importFile(t, staff, "xlsx", xlsx.Bytes()); r.Status != 409 {
		t.Fatalf("importing the same file again: %d %s", r.Status, r.Body)
	}
	if r := in.importFile(t, grad, "csv", []byte(good)); r.Status != 403 {
		t.Fatalf("a graduate importing: %d", r.Status)
	}
	var units struct {
		Items []struct{ Number, Area string }
	}
	in.call(t, "GET", "/v1/housing/units?propertyId="+p.ID, grad, nil).json(t, &units)
	if len(units.Items) != 4 {
		t.Fatalf("units: %+v", units)
	}
}
