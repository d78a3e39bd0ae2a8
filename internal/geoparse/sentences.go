package geoparse

// Sentence is one sentence of a text block: byte offsets into the block and
// the sentence itself with surrounding space trimmed, as Mention.Sentence
// holds it.
type Sentence struct {
	Start, End int
	Text       string
}

// Sentences splits text the way Find does when it records the sentence of a
// mention, so that other stages (dated events) quote the very same sentence
// and can match mentions to it by offset.
func Sentences(text string) []Sentence {
	spans := splitSentences(text)
	out := make([]Sentence, len(spans))
	for i, s := range spans {
		out[i] = Sentence{Start: s.start, End: s.end, Text: sentenceAt(text, spans, s.start)}
	}
	return out
}
