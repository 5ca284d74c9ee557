package scenario

import "testing"

// qingheFigures are the second scenario's own numbers (see QingheSpec).
var qingheFigures = map[string]want{
	"proposals.registered": {60, 0}, "proposals.solved": {51, 60}, "proposals.face_to_face": {54, 60},
	"proposals.satisfied": {60, 60}, "proposals.key": {2, 60}, "units.assessed": {3, 0},
	"activities.research": {5, 0}, "activities.inspection": {2, 0}, "activities.consultation": {3, 0},
	"activities.followup": {1, 0}, "activities.appraisal": {1, 0}, "outputs.to_party": {4, 0},
	"study.articles_collected": {20, 0}, "study.articles_published": {5, 0}, "publicity.tv": {6, 0},
	"publicity.articles": {11, 0}, "culture.volumes": {0, 0},
	"assist.cash": {31_200_000, 0}, "assist.goods": {21, 0}, "assist.goods_value": {8_765_000, 0},
	"assist.industry_households": {40, 0}, "assist.students": {9, 0}, "assist.jobs": {14, 0}, "assist.info": {230, 0},
	"assist.readings": {1500, 0}, "assist.members_participating": {45, 62},
	"pledges.members": {0, 0}, "pledges.amount": {0, 0}, "sites.count": {1, 0}, "sites.donors": {4, 0}, "sites.amount": {18_000_000, 0},
}

var qingheStated = []string{"调研5次、视察2次、协商3次", "对1项工作进行跟踪问效", "对1个单位进行民主评议",
	"对3个单位的提案办理工作进行测评", "向县委提交调研协商报告4篇", "已解决和正在解决的达51件，占总数的85%",
	"确定重点提案2件", "面商率90%，满意率100%", "委员参与率达72.6%", "折币约8.77万元",
	"在1个助推示范点，4名委员和爱心人士捐资18万元", "共捐资31.2万元", "捐物21件（次）", "帮扶带动40户贫困户", "资助贫困学生9名", "协调就业岗位14个",
	"送信息230条", "送科技读物1500份", "征集理论研讨文章20篇，刊发5篇", "播出节目6期", "刊发宣传稿件11篇"}

// TestQinghe2021: a second, smaller year with numbers of its own (面商率
// below 100%, no pledge meeting, no volume) reads as its golden report.
func TestQinghe2021(t *testing.T) {
	testScenario(t, Qinghe2021, "qinghe-2021.golden", qingheFigures, qingheStated)
}
