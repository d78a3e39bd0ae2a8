package config

import (
	"strings"
	"testing"
)

func TestTilesSettings(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     []string
		want    Tiles
		wantErr string // substring of the error; "" for none
	}{
		{name: "off by default", want: Tiles{MaxZoom: 18}},
		{
			name: "documented spelling maxZoom",
			yaml: "map:\n  tiles:\n    url: https://{s}.tile.example.org/{z}/{x}/{y}{r}.png\n    attribution: \"© Example\"\n    maxZoom: 17\n",
			want: Tiles{URL: "https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", Attribution: "© Example", MaxZoom: 17},
		},
		{
			name: "snake case and environment",
			yaml: "map:\n  tiles:\n    max_zoom: 12\n",
			env:  []string{"CHRONOTOPE_MAP_TILES_URL=https://t.example.org/{z}/{x}/{y}.png", "CHRONOTOPE_MAP_TILES_ATTRIBUTION=Example"},
			want: Tiles{URL: "https://t.example.org/{z}/{x}/{y}.png", Attribution: "Example", MaxZoom: 12},
		},
		{
			name:    "attribution required",
			yaml:    "map:\n  tiles:\n    url: https://t.example.org/{z}/{x}/{y}.png\n",
			wantErr: "map.tiles.attribution",
		},
		{
			name:    "missing placeholder",
			yaml:    "map:\n  tiles:\n    url: https://t.example.org/{z}/{x}.png\n    attribution: A\n",
			wantErr: "lacks {y}",
		},
		{
			name:    "unknown placeholder",
			yaml:    "map:\n  tiles:\n    url: https://t.example.org/{z}/{x}/{y}/{key}.png\n    attribution: A\n",
			wantErr: "unknown placeholder",
		},
		{
			name:    "not http",
			yaml:    "map:\n  tiles:\n    url: ftp://t.example.org/{z}/{x}/{y}.png\n    attribution: A\n",
			wantErr: "only http and https",
		},
		{
			name:    "relative",
			yaml:    "map:\n  tiles:\n    url: /tiles/{z}/{x}/{y}.png\n    attribution: A\n",
			wantErr: "not an absolute address",
		},
		{
			name:    "zoom out of range",
			yaml:    "map:\n  tiles:\n    max_zoom: 30\n",
			wantErr: "map.tiles.max_zoom",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			if tt.yaml != "" {
				files["chronotope.yaml"] = tt.yaml
			}
			dir := writeSite(t, files)
			c, _, err := Load(Flags{Source: dir}, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				if tt.yaml != "" && !strings.Contains(err.Error(), "chronotope.yaml") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Map.Tiles != tt.want {
				t.Errorf("tiles = %+v, want %+v", c.Map.Tiles, tt.want)
			}
		})
	}
}
