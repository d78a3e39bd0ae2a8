package mapsvg

import (
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// advance estimates a character's width in em for the default font stack
// (system sans serifs). The layout cannot measure text at build time, so it
// errs wide: the figures were checked against DejaVu Sans, the widest common
// fallback, in Chromium, and come out a few percent over it; Helvetica,
// Arial, Roboto and Segoe UI are narrower still.
func advance(r rune, upper bool) float64 {
	if upper {
		r = unicode.ToUpper(r)
	}
	switch r {
	case ' ':
		return 0.28
	case 'i', 'j', 'l', '.', ',', ':', ';', '\'', '!', '|', '‘', '’', 'ʿ', 'ʾ', '`':
		return 0.3
	case 'f', 't', 'r', 'I', '(', ')', '[', ']', '-', '"', '/':
		return 0.36
	case 'm', 'w':
		return 0.92
	case 'M', 'W':
		return 0.9
	case '—', '–':
		return 0.9
	}
	switch {
	case unicode.IsUpper(r):
		return 0.69
	case unicode.IsDigit(r):
		return 0.58
	case r >= 0x2E80:
		return 1.0 // CJK and other wide scripts
	}
	return 0.6
}

// textWidth estimates the rendered width in px of s at size px, with extra
// letter spacing in em and a bold factor.
func textWidth(s string, size, spacing float64, bold, upper bool) float64 {
	var em float64
	n := 0
	for _, r := range s {
		em += advance(r, upper)
		n++
	}
	em += spacing * float64(n)
	if bold {
		em *= 1.15
	}
	return em * size
}

// tenths rounds a pixel value to the 0.1 px grid every number in the output
// sits on.
func tenths(v float64) int64 { return int64(math.Round(v * 10)) }

// snap rounds v to one decimal, the precision written to the SVG.
func snap(v float64) float64 { return float64(tenths(v)) / 10 }

// appendTenths writes a value given in tenths of a pixel with at most one
// decimal and no trailing ".0", e.g. 125 -> "12.5", -30 -> "-3".
func appendTenths(b []byte, t int64) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = strconv.AppendInt(b, t/10, 10)
	if f := t % 10; f != 0 {
		b = append(b, '.', byte('0'+f))
	}
	return b
}

func appendNum(b []byte, v float64) []byte { return appendTenths(b, tenths(v)) }

// appendEscaped writes s escaped for XML text and attribute values alike.
// Line breaks and tabs become character references so attribute
// normalisation keeps them; characters XML 1.0 forbids (most C0 controls,
// invalid UTF-8, U+FFFE/U+FFFF) become U+FFFD so the output always parses.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\'':
			b = append(b, "&#39;"...)
		case r == '\n':
			b = append(b, "&#10;"...)
		case r == '\r':
			b = append(b, "&#13;"...)
		case r == '\t':
			b = append(b, "&#9;"...)
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}
