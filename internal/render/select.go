package render

// Selector is an Output that takes only some of a site's files. The preview
// server renders one page at a time, and after an edit only the pages the
// edit can have changed, so every writer asks before doing the work for a
// file. A writer that does not ask stays correct, only slower: its files
// are made and handed to WriteFile, which a Selector may discard.
type Selector interface {
	Output
	// Wants reports whether the output takes the file name.
	Wants(name string) bool
}

// wants reports whether out takes name: always, unless out is a Selector.
func wants(out Output, name string) bool {
	if s, ok := out.(Selector); ok {
		return s.Wants(name)
	}
	return true
}

// wantsUnder reports whether out may take a file whose name starts with
// prefix. A Selector that can tell answers through a WantsUnder method,
// which spares a preview the timeline's work when no page of it is
// wanted; any other output may take anything.
func wantsUnder(out Output, prefix string) bool {
	if s, ok := out.(interface{ WantsUnder(prefix string) bool }); ok {
		return s.WantsUnder(prefix)
	}
	return true
}
