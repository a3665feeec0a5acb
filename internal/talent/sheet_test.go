package talent

import "testing"

func TestSheetColumns(t *testing.T) {
	t.Parallel()
	columns := map[string][]string{"property": {"property", "楼盘"}, "layout": {"layout", "户型"}, "rent": {"marketRent", "市场租金"}}
	col, missing := SheetColumns([]string{"\ufeff楼盘", "备注", "Layout", " MARKETRENT "}, columns, []string{"property", "layout", "rent"})
	if len(missing) != 0 || col["property"] != 0 || col["layout"] != 2 || col["rent"] != 3 {
		t.Fatalf("col %v, missing %v", col, missing)
	}
	if _, missing := SheetColumns([]string{"property"}, columns, []string{"property", "layout", "rent"}); len(missing) != 2 || missing[0] != "layout" {
		t.Fatalf("missing %v", missing)
	}
	if Cell([]string{" a "}, 0) != "a" || Cell([]string{"a"}, 3) != "" {
		t.Fatal("Cell")
	}
}
