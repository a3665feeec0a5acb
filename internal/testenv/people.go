package testenv

import (
	"fmt"
	"time"
)

// NationalID returns the n-th of a series of valid, distinct national ID
// numbers (GB 11643, check character computed) of people born from
// 1998-01-01 on, in 慈溪 (330282): for tests that need many people.
func NationalID(n int) string {
	birth := time.Date(1998, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	body := fmt.Sprintf("330282%s%03d", birth.Format("20060102"), n%1000)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
