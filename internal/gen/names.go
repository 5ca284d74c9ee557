package gen

import (
	"math/rand/v2"
	"strings"
)

// Surnames in rough order of frequency; pick favours the front of the list.
var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")

// Characters of given names, by the gender they are most often given to.
var (
	givenMale   = []rune("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
	givenFemale = []rune("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
)

// personName returns a plausible Chinese name and the gender it suggests.
func personName(r *rand.Rand) (name, gender string) {
	var b strings.Builder
	b.WriteRune(surnames[skewed(r, len(surnames))])
	chars, gender := givenMale, "male"
	if r.IntN(100) < 42 {
		chars, gender = givenFemale, "female"
	}
	b.WriteRune(chars[r.IntN(len(chars))])
	if r.IntN(100) < 72 {
		b.WriteRune(chars[r.IntN(len(chars))])
	}
	return b.String(), gender
}

// skewed returns an index in [0,n) that favours small values (a rough Zipf).
func skewed(r *rand.Rand, n int) int {
	f := r.Float64()
	return int(f * f * float64(n))
}

// Syllables for fictional place names: a first and a second character.
var (
	placeFirst  = []rune("云青凤龙白金玉华安永新平宁兴泰福富德明清源阳山河江湖远长嘉瑞广丰盛和东西南北中临双石松柏桂梅兰翠碧溪泉峰岭川")
	placeSecond = []rune("川源宁平安阳山江河州城丰台原昌化德远顺泽林溪峰岭水坪湖口川定康海桥关盛宝")
)

// placeName returns a fictional two-character place name not yet in used.
func placeName(r *rand.Rand, used map[string]bool) string {
	for {
		n := string([]rune{placeFirst[r.IntN(len(placeFirst))], placeSecond[r.IntN(len(placeSecond))]})
		if n[:3] == n[3:] {
			continue
		}
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// province is a real province-level division: name, short name, region code prefix.
type province struct {
	name, short, code string // short is unused by names but kept for labels
}

// provinces are the 31 province-level divisions of the mainland with their GB/T 2260 codes.
var provinces = []province{
	{"北京市", "北京", "11"}, {"天津市", "天津", "12"}, {"河北省", "河北", "13"}, {"山西省", "山西", "14"},
	{"内蒙古自治区", "内蒙古", "15"}, {"辽宁省", "辽宁", "21"}, {"吉林省", "吉林", "22"}, {"黑龙江省", "黑龙江", "23"},
	{"上海市", "上海", "31"}, {"江苏省", "江苏", "32"}, {"浙江省", "浙江", "33"}, {"安徽省", "安徽", "34"},
	{"福建省", "福建", "35"}, {"江西省", "江西", "36"}, {"山东省", "山东", "37"}, {"河南省", "河南", "41"},
	{"湖北省", "湖北", "42"}, {"湖南省", "湖南", "43"}, {"广东省", "广东", "44"}, {"广西壮族自治区", "广西", "45"},
	{"海南省", "海南", "46"}, {"重庆市", "重庆", "50"}, {"四川省", "四川", "51"}, {"贵州省", "贵州", "52"},
	{"云南省", "云南", "53"}, {"西藏自治区", "西藏", "54"}, {"陕西省", "陕西", "61"}, {"甘肃省", "甘肃", "62"},
	{"青海省", "青海", "63"}, {"宁夏回族自治区", "宁夏", "64"}, {"新疆维吾尔自治区", "新疆", "65"},
}

// sectorDef is a sector (界别) and the lowest committee level that usually has it.
type sectorDef struct {
	name   string
	weight int // share of members, relative
	minLvl level
	// affiliation (an org.Affiliations code) members of this sector have, "" when mixed.
	affiliation string
}

// sectorDefs follows the national committee's order of sectors.
var sectorDefs = []sectorDef{
	{"中共", 14, lvlCounty, "cpc"},
	{"民革", 2, lvlCounty, "rcck"},
	{"民盟", 2, lvlCounty, "cdl"},
	{"民建", 2, lvlCounty, "cndca"},
	{"民进", 2, lvlCounty, "capd"},
	{"农工党", 2, lvlCounty, "cpwdp"},
	{"致公党", 1, lvlCounty, "zgzd"},
	{"九三学社", 2, lvlCounty, "jiusan"},
	{"台盟", 1, lvlProvince, "tdsl"},
	{"无党派人士", 3, lvlCounty, "nonparty"},
	{"共青团", 2, lvlCounty, ""},
	{"工会", 3, lvlCounty, ""},
	{"妇联", 3, lvlCounty, ""},
	{"青联", 2, lvlPrefecture, ""},
	{"工商联", 4, lvlCounty, ""},
	{"科协", 2, lvlCounty, ""},
	{"台联", 1, lvlProvince, ""},
	{"侨联", 1, lvlCounty, ""},
	{"文化艺术界", 3, lvlCounty, ""},
	{"科技界", 3, lvlCounty, ""},
	{"社会科学界", 2, lvlPrefecture, ""},
	{"经济界", 10, lvlCounty, ""},
	{"农业界", 7, lvlCounty, ""},
	{"教育界", 6, lvlCounty, ""},
	{"体育界", 1, lvlCounty, ""},
	{"新闻出版界", 2, lvlCounty, ""},
	{"医药卫生界", 5, lvlCounty, ""},
	{"对外友好界", 1, lvlPrefecture, ""},
	{"社会福利和社会保障界", 2, lvlCounty, ""},
	{"少数民族界", 3, lvlCounty, ""},
	{"宗教界", 2, lvlCounty, ""},
	{"特邀人士", 4, lvlCounty, ""},
	{"特邀香港人士", 1, lvlNational, ""},
	{"特邀澳门人士", 1, lvlNational, ""},
}

// Political affiliations (org.Affiliations codes) for members of mixed sectors, with weights.
var mixedAffiliations = []weighted{
	{"cpc", 45}, {"masses", 35}, {"nonparty", 8}, {"cdl", 2}, {"cndca", 2}, {"capd", 2},
	{"cpwdp", 2}, {"jiusan", 2}, {"rcck", 1}, {"zgzd", 1},
}

// weighted is a value and its relative weight.
type weighted struct {
	v string
	w int
}

func pickWeighted(r *rand.Rand, ws []weighted) string {
	total := 0
	for _, w := range ws {
		total += w.w
	}
	n := r.IntN(total)
	for _, w := range ws {
		if n < w.w {
			return w.v
		}
		n -= w.w
	}
	return ws[len(ws)-1].v
}

// Ethnic groups: most members are Han; the rest spread over the larger minorities.
var ethnicities = []weighted{
	{"汉族", 880}, {"彝族", 20}, {"回族", 15}, {"壮族", 15}, {"苗族", 10}, {"满族", 10}, {"土家族", 8},
	{"布依族", 6}, {"侗族", 5}, {"瑶族", 5}, {"白族", 5}, {"哈尼族", 4}, {"蒙古族", 4}, {"藏族", 4},
	{"维吾尔族", 4}, {"傣族", 3}, {"水族", 2},
}

// Group names per committee: special committees (专委会) and member groups (委员小组).
var specialCommittees = []string{
	"提案委员会", "经济委员会", "农业和农村委员会", "教科卫体委员会", "文化文史和学习委员会",
	"社会和法制委员会", "民族宗教委员会", "港澳台侨和外事委员会", "人口资源环境委员会", "社会建设委员会",
}

var memberGroupSuffix = []string{"第一委员小组", "第二委员小组", "第三委员小组", "第四委员小组", "第五委员小组",
	"第六委员小组", "第七委员小组", "第八委员小组", "第九委员小组", "第十委员小组"}

// unitDef is a handling unit template: %s is replaced by the committee's place prefix.
type unitDef struct {
	name, kind string
}

// unitDefs are typical handling units (承办单位) of a local government.
var unitDefs = []unitDef{
	{"%s委办公室", "party"}, {"%s委组织部", "party"}, {"%s委宣传部", "party"}, {"%s委统战部", "party"},
	{"%s委政法委员会", "party"}, {"%s委机构编制委员会办公室", "party"}, {"%s纪委监委", "party"},
	{"%s总工会", "party"}, {"共青团%s委", "party"}, {"%s妇女联合会", "party"}, {"%s科学技术协会", "party"},
	{"%s残疾人联合会", "party"}, {"%s工商业联合会", "party"},
	{"%s人民政府办公室", "government"}, {"%s发展和改革局", "government"}, {"%s教育体育局", "government"},
	{"%s科学技术局", "government"}, {"%s工业和信息化局", "government"}, {"%s公安局", "government"},
	{"%s民政局", "government"}, {"%s司法局", "government"}, {"%s财政局", "government"},
	{"%s人力资源和社会保障局", "government"}, {"%s自然资源局", "government"}, {"%s生态环境分局", "government"},
	{"%s住房和城乡建设局", "government"}, {"%s交通运输局", "government"}, {"%s水务局", "government"},
	{"%s农业农村局", "government"}, {"%s林业和草原局", "government"}, {"%s商务局", "government"},
	{"%s文化和旅游局", "government"}, {"%s卫生健康局", "government"}, {"%s退役军人事务局", "government"},
	{"%s应急管理局", "government"}, {"%s审计局", "government"}, {"%s市场监督管理局", "government"},
	{"%s统计局", "government"}, {"%s医疗保障局", "government"}, {"%s乡村振兴局", "government"},
	{"%s信访局", "government"}, {"%s能源局", "government"}, {"%s供销合作社联合社", "government"},
	{"%s城市管理综合执法局", "government"}, {"%s投资促进局", "government"}, {"%s政务服务管理局", "government"},
	{"%s民族宗教事务局", "government"}, {"%s粮食和物资储备局", "government"}, {"%s地方志办公室", "government"},
	{"%s融媒体中心", "government"}, {"%s气象局", "government"}, {"%s税务局", "government"},
	{"%s人大常委会办公室", "congress"}, {"%s人民法院", "court"}, {"%s人民检察院", "procuratorate"},
	{"%s供电局", "other"}, {"%s电信分公司", "other"}, {"%s移动分公司", "other"}, {"%s邮政分公司", "other"},
	{"%s烟草专卖局", "other"}, {"%s消防救援大队", "other"}, {"%s公路分局", "other"}, {"%s农村信用合作联社", "other"},
}

// Unit contact job titles and heads.
var contactTitles = []string{"办公室主任", "综合科科长", "秘书", "副局长", "办公室副主任"}

// employerDef gives employers and job titles typical of a sector.
type employerDef struct {
	employers []string // %s = place prefix
	titles    []string
}

var employersBySector = map[string]employerDef{
	"教育界":        {[]string{"%s第一中学", "%s第二中学", "%s民族中学", "%s实验小学", "%s职业技术学校", "%s幼儿园"}, []string{"校长", "副校长", "教师", "高级教师", "教务主任", "园长"}},
	"医药卫生界":      {[]string{"%s人民医院", "%s中医医院", "%s妇幼保健院", "%s疾病预防控制中心", "%s第二人民医院"}, []string{"院长", "副院长", "主任医师", "副主任医师", "护士长", "药剂师"}},
	"经济界":        {[]string{"%s能源有限公司", "%s建设集团有限公司", "%s商贸有限公司", "%s农村商业银行", "%s实业有限公司", "%s物流有限公司"}, []string{"董事长", "总经理", "副总经理", "财务总监", "行长", "经理"}},
	"农业界":        {[]string{"%s蔬菜种植专业合作社", "%s魔芋产业协会", "%s生猪养殖场", "%s农业技术推广中心", "%s茶叶专业合作社", "%s家庭农场"}, []string{"理事长", "场长", "高级农艺师", "农艺师", "负责人", "技术员"}},
	"科技界":        {[]string{"%s科学技术协会", "%s农业科学研究所", "%s科技开发有限公司", "%s生产力促进中心"}, []string{"高级工程师", "工程师", "研究员", "所长", "技术总监"}},
	"文化艺术界":      {[]string{"%s文化馆", "%s图书馆", "%s文工团", "%s书法家协会", "%s作家协会"}, []string{"馆长", "副馆长", "演员", "主席", "会员", "国家二级美术师"}},
	"新闻出版界":      {[]string{"%s融媒体中心", "%s广播电视台", "%s日报社"}, []string{"主任", "记者", "编辑", "主编"}},
	"体育界":        {[]string{"%s体育运动学校", "%s全民健身中心", "%s篮球协会"}, []string{"教练员", "校长", "主任", "会长"}},
	"社会福利和社会保障界": {[]string{"%s社会福利院", "%s敬老院", "%s慈善总会", "%s残疾人联合会"}, []string{"院长", "会长", "理事长", "副理事长"}},
	"宗教界":        {[]string{"%s佛教协会", "%s伊斯兰教协会", "%s基督教两会", "%s道教协会"}, []string{"会长", "副会长", "秘书长"}},
	"少数民族界":      {[]string{"%s民族中学", "%s民族宗教事务局", "%s民族文化研究会"}, []string{"会长", "副局长", "教师", "研究员"}},
	"工商联":        {[]string{"%s工商业联合会", "%s商会", "%s个体私营企业协会", "%s建材有限公司"}, []string{"主席", "副主席", "会长", "董事长", "总经理"}},
	"工会":         {[]string{"%s总工会", "%s煤业有限公司工会", "%s供电局工会"}, []string{"主席", "副主席", "劳动模范", "工人"}},
	"妇联":         {[]string{"%s妇女联合会", "%s巾帼家政服务中心", "%s刺绣专业合作社"}, []string{"主席", "副主席", "负责人", "理事长"}},
	"共青团":        {[]string{"共青团%s委", "%s青年创业协会", "%s志愿者协会"}, []string{"书记", "副书记", "会长", "青年企业家"}},
}

// defaultEmployer is used for sectors without a specific list (parties, invited persons …).
var defaultEmployer = employerDef{
	[]string{"%s人民政府", "%s委办公室", "%s人大常委会", "%s政协办公室", "%s自然资源局", "%s财政局", "%s发展和改革局", "%s第一中学", "%s人民医院", "%s律师事务所", "%s会计师事务所"},
	[]string{"局长", "副局长", "主任", "副主任", "科长", "律师", "会计师", "教师", "医生", "调研员"},
}

// Member skills and resources, used for assistance matching.
var skills = []string{"种植技术", "养殖技术", "医疗卫生", "法律咨询", "教育辅导", "电子商务", "建筑施工", "财务会计", "市场营销", "农产品加工", "心理辅导", "文化艺术", "信息技术", "旅游开发", "中医药"}
var resources = []string{"资金", "就业岗位", "销售渠道", "技术培训", "物资捐赠", "医疗资源", "教育资源", "信息服务", "种苗", "运输车辆"}

// pickSome returns between lo and hi distinct items of list joined with "、".
func pickSome(r *rand.Rand, list []string, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	if n == 0 {
		return ""
	}
	idx := r.Perm(len(list))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = list[j]
	}
	return strings.Join(out, "、")
}

// Chinese numerals for term and session names.
var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// cnNumber writes 1..99 in Chinese numerals (十四, 二十一).
func cnNumber(n int) string {
	switch {
	case n <= 10:
		return cnDigits[n]
	case n < 20:
		return "十" + cnDigits[n-10]
	default:
		s := cnDigits[n/10] + "十"
		if n%10 != 0 {
			s += cnDigits[n%10]
		}
		return s
	}
}

// mobile returns an 11-digit mainland mobile number.
func mobile(r *rand.Rand) string {
	prefixes := []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199"}
	b := []byte(prefixes[r.IntN(len(prefixes))])
	for range 8 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(b)
}

// nationalUnits are handling units of the national committee's proposals.
var nationalUnits = []unitDef{
	{"中共中央办公厅", "party"}, {"中央组织部", "party"}, {"中央宣传部", "party"}, {"中央统战部", "party"},
	{"中央政法委员会", "party"}, {"中华全国总工会", "party"}, {"共青团中央", "party"}, {"全国妇联", "party"},
	{"中国科协", "party"}, {"中国残联", "party"}, {"全国工商联", "party"},
	{"国务院办公厅", "government"}, {"国家发展和改革委员会", "government"}, {"教育部", "government"},
	{"科学技术部", "government"}, {"工业和信息化部", "government"}, {"国家民族事务委员会", "government"},
	{"公安部", "government"}, {"民政部", "government"}, {"司法部", "government"}, {"财政部", "government"},
	{"人力资源和社会保障部", "government"}, {"自然资源部", "government"}, {"生态环境部", "government"},
	{"住房和城乡建设部", "government"}, {"交通运输部", "government"}, {"水利部", "government"},
	{"农业农村部", "government"}, {"商务部", "government"}, {"文化和旅游部", "government"},
	{"国家卫生健康委员会", "government"}, {"退役军人事务部", "government"}, {"应急管理部", "government"},
	{"中国人民银行", "government"}, {"审计署", "government"}, {"海关总署", "government"},
	{"国家税务总局", "government"}, {"国家市场监督管理总局", "government"}, {"国家广播电视总局", "government"},
	{"国家体育总局", "government"}, {"国家统计局", "government"}, {"国家医疗保障局", "government"},
	{"国家信访局", "government"}, {"国家粮食和物资储备局", "government"}, {"国家能源局", "government"},
	{"国家林业和草原局", "government"}, {"国家铁路局", "government"}, {"中国民用航空局", "government"},
	{"国家邮政局", "government"}, {"国家文物局", "government"}, {"国家中医药管理局", "government"},
	{"国家药品监督管理局", "government"}, {"国家知识产权局", "government"}, {"国家乡村振兴局", "government"},
	{"全国人大常委会办公厅", "congress"}, {"最高人民法院", "court"}, {"最高人民检察院", "procuratorate"},
	{"中国国家铁路集团有限公司", "other"}, {"国家电网有限公司", "other"}, {"中国邮政集团有限公司", "other"},
}
