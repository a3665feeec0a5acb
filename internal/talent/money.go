package talent

import "fmt"

// Yuan writes an amount in fen the way Anju's texts show money: ¥15000 or
// ¥1200.50. Amounts are int64 fen everywhere else.
func Yuan(fen int64) string {
	if fen%100 == 0 {
		return fmt.Sprintf("¥%d", fen/100)
	}
	return fmt.Sprintf("¥%d.%02d", fen/100, fen%100)
}
