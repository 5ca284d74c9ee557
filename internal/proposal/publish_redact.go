package proposal

import (
	"regexp"
	"strings"
)

// Contact details are removed from everything published (国办发〔2014〕46号:
// publish the reply, not the people). Redact masks them in free text.

// redaction masks group 1 of each match of re (the number without the
// boundary characters around it).
type redaction struct {
	re   *regexp.Regexp
	mask string
}

var redactions = []redaction{
	// E-mail addresses.
	{regexp.MustCompile(`([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})`), "[邮箱已隐去]"},
	// Citizen ID numbers: 18 characters (17 digits and a digit or X), or the old 15 digits.
	{regexp.MustCompile(`(?:^|[^0-9])([1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])(?:$|[^0-9A-Za-z])`), "[身份证号已隐去]"},
	{regexp.MustCompile(`(?:^|[^0-9])([1-9][0-9]{14})(?:$|[^0-9])`), "[身份证号已隐去]"},
	// Mobile numbers, optionally with +86 and spaces or dashes: 138 1234 5678.
	{regexp.MustCompile(`(?:^|[^0-9])((?:\+?86[ \-]?)?1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4})(?:$|[^0-9])`), "[电话已隐去]"},
	// Landlines with an area code: 0874-1234567, (0874)1234567, 0874 12345678.
	{regexp.MustCompile(`(?:^|[^0-9])((?:\(0[0-9]{2,3}\)|（0[0-9]{2,3}）|0[0-9]{2,3}[ \-]?)[0-9]{7,8})(?:$|[^0-9])`), "[电话已隐去]"},
	// QQ and WeChat ids introduced by their names.
	{regexp.MustCompile(`(?i)((?:QQ|微信号|微信|wechat)[：: ]*[A-Za-z0-9_\-]{5,20})`), "[联系方式已隐去]"},
}

// Redact masks phone numbers, e-mail addresses, citizen ID numbers and QQ or
// WeChat ids in s, leaving the rest of the text as written.
func Redact(s string) string {
	for _, r := range redactions {
		// Two numbers sharing one boundary character ("…5678,139…") need a second pass.
		for range 2 {
			s = replaceGroup(r.re, s, r.mask)
		}
	}
	return s
}

// replaceGroup replaces group 1 of every match of re in s with mask.
func replaceGroup(re *regexp.Regexp, s, mask string) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(s[last:m[2]])
		b.WriteString(mask)
		last = m[3]
	}
	b.WriteString(s[last:])
	return b.String()
}
