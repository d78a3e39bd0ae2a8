package diag

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"width", "width", 0},
		{"widht", "width", 1},
		{"dat", "date", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"Dar‘ā", "Dara", 2},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance is not symmetric for %q, %q", tc.a, tc.b)
		}
	}
}
