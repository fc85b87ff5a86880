package config

import (
	"fmt"
	"strings"
)

// Starter is the commented config `govlint init` writes. Every section is
// there, commented out except the profile, so a user uncomments what the
// site needs.
func Starter(profile, start string) string {
	if profile == "" {
		profile = "finance-bureau"
	}
	startLine := "# start: https://www.example.gov.cn/"
	if start != "" {
		startLine = fmt.Sprintf("start: %s", start)
	}
	return strings.TrimLeft(fmt.Sprintf(`
# govlint 配置文件（.govlint.yaml）。govlint 在当前目录查找它，也可用 --config 指定。
# govlint config file. Unknown keys are an error, so a typo never goes unnoticed.

# 机构类型（画像）：finance-bureau, municipal-government, department, development-zone …
profile: %s

# 起始地址：govlint audit 不带参数时检查此地址。
%s

# 除起始域名（及其 www/裸域名）外，还需抓取的域名（网站分布在多个域名时）。
# hosts:
#   - xxgk.example.gov.cn

# 评分细则文件（默认内置细则，见 internal/score/default-rubric.yaml）；相对本文件。
# rubric: rubric.yaml

# 停用的检查项（govlint checks 列出全部检查项）。
# disable:
#   - identity.footer

# 没有对外服务职能的部门写 false：不检查办事服务（国办秘函〔2019〕19号“服务不实用”）。
# external_services: false

# 调整检查项级别：veto, error, warning, notice, needs-review。
# severity:
#   links.broken: warning

# 调整扣分：每项扣分 points、该检查项最多扣 cap、计入的类别 category。
# weights:
#   links.broken: {points: 0.5, cap: 10}
#   columns.stale: 2

# 更新周期（天）：按周期类别（dynamic、notice、default）或栏目（ID 或名称）。
# windows:
#   notice: 180
#   双随机一公开: 90

# 栏目：名称特殊的栏目指明其地址；本站额外要求的栏目。
# columns:
#   urls:
#     双随机一公开: /zwgk/jdjc/
#   extra:
#     - name: 政府采购
#       synonyms: [采购公告, 政府采购信息]
#       list: true
#       window_days: 180
#       citation: {document: 《中华人民共和国政府采购法》, article: 第十一条}

# 过时表述：页面不应再引用的已被取代的规定（正则表达式）。
# stale_citations:
#   - name: 旧版省条例
#     regex: 云岭省政府信息公开规定（2008年）
#     superseded_by: 《云岭省政府信息公开办法》（2021年）
#     citation: {document: 云岭省人民政府令第200号}

# 忽略：检查项 + 地址模式（* 匹配任意字符）+ 原因 + 到期日（含当天）。
# 到期后该问题重新计入，并在报告中注明。
# ignores:
#   - check: links.broken
#     url: /old/*
#     reason: 旧版栏目迁移中，2027年3月底前完成
#     expires: 2027-03-31
`, profile, startLine), "\n")
}
