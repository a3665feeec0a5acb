package talent

// Text is a short text in Anju's two languages.
type Text struct {
	ZH string // zh-CN, the default
	EN string
}

// In returns the text in locale l, Chinese unless l is English.
func (t Text) In(l Locale) string {
	if l == LocaleEN {
		return t.EN
	}
	return t.ZH
}
