package assist

import (
	"slices"

	"lvzhi/internal/i18n"
)

// The coded values of the registry (DOMAIN.md §6). Each code's label is the
// i18n key assist.<list>.<code>; the import reads the Chinese labels.
var (
	// Attributes are 一般贫困户, 低保贫困户, 特困供养贫困户.
	Attributes = []string{"general", "dibao", "tekun"}
	// Causes are the causes of poverty (main plus at most two others).
	Causes = []string{"illness", "disability", "schooling", "disaster", "land", "water", "tech", "labour", "funds", "transport", "motivation", "other"}
	// Statuses are 未脱贫, 已脱贫 (with a year), 返贫, 监测户.
	Statuses = []string{"poor", "lifted", "relapsed", "monitored"}
	// Healths are 健康, 长期慢性病, 大病, 残疾.
	Healths = []string{"healthy", "chronic", "serious", "disabled"}
	// Labours are 普通劳动力, 技能劳动力, 弱劳动力, 丧失劳动力, 无劳动力.
	Labours = []string{"ordinary", "skilled", "weak", "lost", "none"}
	// NeedKinds are 就学, 就医, 住房, 就业, 产业, 信息, 技术, 生活, 其他.
	NeedKinds = []string{"study", "medical", "housing", "job", "industry", "info", "tech", "living", "other"}
	// RecordKinds are the kinds of assistance: 送爱心 (cash, goods), 送信息,
	// 送技术, 帮学, 帮就业, 帮产业.
	RecordKinds = []string{"cash", "goods", "info", "tech", "study", "job", "industry"}
	// Genders are male and female.
	Genders = []string{"male", "female"}
)

// codeOf returns the code of list whose label in lang is label ("" if none);
// a code itself is accepted too.
func codeOf(list string, codes []string, label string) string {
	if slices.Contains(codes, label) {
		return label
	}
	for _, c := range codes {
		for _, lang := range []string{"zh", "en"} {
			if i18n.T(lang, "assist."+list+"."+c) == label {
				return c
			}
		}
	}
	return ""
}
