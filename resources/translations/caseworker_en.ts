<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <source>关于社保经办</source>
        <translation>About Caseworker</translation>
    </message>
    <message>
        <source>版本信息</source>
        <translation>Version information</translation>
    </message>
    <message>
        <source>安装版，构建于 %1</source>
        <translation>installed build, built %1</translation>
    </message>
    <message>
        <source>（提交 %1）</source>
        <translation> (commit %1)</translation>
    </message>
    <message>
        <source>从源代码运行</source>
        <translation>running from source</translation>
    </message>
    <message>
        <source>乡镇社会保障服务中心参保登记系统</source>
        <translation>Caseworker for township social-security service centres</translation>
    </message>
    <message>
        <source>版本：%1</source>
        <translation>Version: %1</translation>
    </message>
    <message>
        <source>构建：%1</source>
        <translation>Build: %1</translation>
    </message>
    <message>
        <source>数据库结构：%1</source>
        <translation>Database schema: %1</translation>
    </message>
    <message>
        <source>数据文件夹：%1</source>
        <translation>Data folder: %1</translation>
    </message>
    <message>
        <source>运行环境：Python %1，Qt %2（PySide6 %3），%4</source>
        <translation>Running on: Python %1, Qt %2 (PySide6 %3), %4</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>第一位管理员</source>
        <translation>First administrator</translation>
    </message>
    <message>
        <source>管理员可以添加操作员、管理本机设置。密码至少8个字符，请牢记。</source>
        <translation>The administrator can add operators and manage this computer's settings. The password must be at least 8 characters; do not forget it.</translation>
    </message>
    <message>
        <source>管理员用户名</source>
        <translation>Administrator username</translation>
    </message>
    <message>
        <source>管理员姓名</source>
        <translation>Administrator name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <source>正在创建加密数据库……</source>
        <translation>Creating the encrypted database…</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>两次输入的密码不一致，请重新输入。</source>
        <translation>The passwords do not match. Please enter them again.</translation>
    </message>
</context>
<context>
    <name>AuditColumns</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>变更内容</source>
        <translation>What changed</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>审计日志</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>按日期</source>
        <translation>By day</translation>
    </message>
    <message>
        <source>按日期筛选</source>
        <translation>Filter by day</translation>
    </message>
    <message>
        <source>起始日期</source>
        <translation>From day</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>To day</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>人员（身份证号或姓名）</source>
        <translation>Person (ID number or name)</translation>
    </message>
    <message>
        <source>人员：身份证号或姓名</source>
        <translation>Person: ID number or name</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>校验审计链</source>
        <translation>Verify the audit chain</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>审计记录</source>
        <translation>Audit entries</translation>
    </message>
    <message>
        <source>只有审核员和管理员可以查看审计日志。</source>
        <translation>Only supervisors and administrators may read the audit trail.</translation>
    </message>
    <message>
        <source>全部操作员</source>
        <translation>All operators</translation>
    </message>
    <message>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>共 %1 条，已显示 %2 条（向下滚动加载更多）。</source>
        <translation>%1 entries, %2 shown (scroll down for more).</translation>
    </message>
    <message>
        <source>共 %1 条，已全部显示。</source>
        <translation>%1 entries, all shown.</translation>
    </message>
    <message>
        <source>按人员筛选只取了前 %1 位匹配的人员，请输入完整姓名或身份证号。</source>
        <translation> The person filter took only the first %1 matching people; type a full name or an ID number.</translation>
    </message>
    <message>
        <source>读取出错：</source>
        <translation>Error while loading: </translation>
    </message>
    <message>
        <source>正在校验审计链…</source>
        <translation>Verifying the audit chain…</translation>
    </message>
    <message>
        <source>校验未能完成：</source>
        <translation>The verification could not finish: </translation>
    </message>
    <message>
        <source>审计链完整、签名有效：共 %1 条记录，链头为第 %2 条（%3…）。</source>
        <translation>Audit chain intact and signed: %1 entries, head at entry %2 (%3…).</translation>
    </message>
    <message>
        <source>审计链有问题：</source>
        <translation>The audit chain is broken: </translation>
    </message>
    <message>
        <source>与县级比较：</source>
        <translation>Compared with the county: </translation>
    </message>
    <message>
        <source>第一条有问题的记录：第 %1 条，%2，操作员 %3，%4</source>
        <translation>First bad entry: entry %1, %2, operator %3, %4</translation>
    </message>
</context>
<context>
    <name>BaseDeclarationDialog</name>
    <message>
        <source>缴费基数申报：%1</source>
        <translation>Base declaration: %1</translation>
    </message>
    <message>
        <source>申报年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>职工缴费基数</source>
        <translation>Employees' contribution bases</translation>
    </message>
    <message>
        <source>保存申报（Ctrl+S）</source>
        <translation>Save declaration (Ctrl+S)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>在“上年月平均工资”一栏填写每位职工的工资；基数超出范围的按上下限核定。</source>
        <translation>Type each employee's average monthly wage of last year; a base outside the range is set to the floor or the ceiling.</translation>
    </message>
    <message>
        <source>%1年度基数范围：%2 至 %3 元</source>
        <translation>Base range for %1: %2 to %3 yuan</translation>
    </message>
    <message>
        <source>共 %1 人，每月合计：单位 %2 元，个人 %3 元</source>
        <translation>%1 employees, each month: employer %2 yuan, employees %3 yuan</translation>
    </message>
</context>
<context>
    <name>CardDesk</name>
    <message>
        <source>读卡后查找失败：{e}</source>
        <translation>Looking up the card's holder failed: {e}</translation>
    </message>
    <message>
        <source>身份证阅读器：{message}</source>
        <translation>ID card reader: {message}</translation>
    </message>
    <message>
        <source>放在读卡器上的身份证（{card}）不是正在修改的人员（{held}）的，未填入。请放本人的证件，或返回查找该证件的人员。</source>
        <translation>The card on the reader ({card}) is not the card of the person being edited ({held}); nothing was filled in. Place this person's own card, or go back to the search to find the card's holder.</translation>
    </message>
    <message>
        <source>表中已输入另一个身份证号（{held}），未用此卡（{card}）覆盖。请先保存或清空本表，再放卡。</source>
        <translation>The form already holds another ID number ({held}); this card ({card}) did not overwrite it. Save or clear the form first, then place the card again.</translation>
    </message>
    <message>
        <source>已从身份证读入。住址未能对应到户籍地区划，请在户籍地中选择。</source>
        <translation>Read from the ID card. The address did not match a hukou region: choose it under Hukou region.</translation>
    </message>
    <message>
        <source>已从外国人永久居留身份证读入，请核对。</source>
        <translation>Read from the foreign permanent resident ID card; please check.</translation>
    </message>
    <message>
        <source>已从身份证读入，请核对。</source>
        <translation>Read from the ID card; please check.</translation>
    </message>
    <message>
        <source>此证件已于 {day} 过期：请提醒本人尽快换领新证，并核实身份后再办理。</source>
        <translation>This card expired on {day}: remind the holder to renew it soon, and confirm their identity before going on.</translation>
    </message>
    <message>
        <source>身份证</source>
        <translation>ID card</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <source>签发机关</source>
        <translation>Issuing authority</translation>
    </message>
    <message>
        <source>有效期限</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>长期</source>
        <translation>long-term</translation>
    </message>
</context>
<context>
    <name>CardReaderBox</name>
    <message>
        <source>身份证阅读器（本机）</source>
        <translation>ID card reader (this computer)</translation>
    </message>
    <message>
        <source>读卡器类型</source>
        <translation>Reader kind</translation>
    </message>
    <message>
        <source>不使用读卡器</source>
        <translation>No card reader</translation>
    </message>
    <message>
        <source>串口通讯协议（USB 读卡器，115200 波特）</source>
        <translation>Serial protocol (USB reader, 115200 baud)</translation>
    </message>
    <message>
        <source>厂商读卡库 sdtapi（SDT_ 函数）</source>
        <translation>Vendor library, sdtapi (SDT_ functions)</translation>
    </message>
    <message>
        <source>厂商读卡库 termb（CVR_ 函数）</source>
        <translation>Vendor library, termb (CVR_ functions)</translation>
    </message>
    <message>
        <source>读卡器端口</source>
        <translation>Reader port</translation>
    </message>
    <message>
        <source>如 COM3、/dev/ttyUSB0；读卡库填 1001（第一个 USB 口）</source>
        <translation>e.g. COM3, /dev/ttyUSB0; for a library 1001 (the first USB port)</translation>
    </message>
    <message>
        <source>读卡库文件</source>
        <translation>Library file</translation>
    </message>
    <message>
        <source>如 C:\读卡器\sdtapi.dll</source>
        <translation>e.g. C:\Reader\sdtapi.dll</translation>
    </message>
    <message>
        <source>测试读卡器</source>
        <translation>Test the reader</translation>
    </message>
    <message>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>前台正在读取此读卡器（{port}），放上身份证即可。</source>
        <translation>The front desk is reading this reader ({port}): place an ID card on it.</translation>
    </message>
    <message>
        <source>前台没有在读取读卡器。</source>
        <translation>The front desk is not reading a card reader.</translation>
    </message>
    <message>
        <source>请先填写端口。</source>
        <translation>Enter the port first.</translation>
    </message>
    <message>
        <source>正在测试读卡器……</source>
        <translation>Testing the reader…</translation>
    </message>
    <message>
        <source>读卡器正常（{port}）。</source>
        <translation>The reader works ({port}). </translation>
    </message>
    <message>
        <source>安全模块号：{module}。</source>
        <translation>Security module: {module}. </translation>
    </message>
    <message>
        <source>读卡器上没有卡片。</source>
        <translation>No card on the reader.</translation>
    </message>
    <message>
        <source>读到：{name}，{number}，照片 {size} 字节（不解码、不保存）。</source>
        <translation>Read: {name}, {number}, photo {size} bytes (not decoded, not kept).</translation>
    </message>
</context>
<context>
    <name>CentrePage</name>
    <message>
        <source>服务中心</source>
        <translation>Service centre</translation>
    </message>
    <message>
        <source>选择本服务中心所在的乡镇（街道）。数据将保存在：%1</source>
        <translation>Choose the township (subdistrict) of this service centre. Data will be stored in: %1</translation>
    </message>
    <message>
        <source>所在乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>服务中心代码</source>
        <translation>Centre code</translation>
    </message>
    <message>
        <source>服务中心名称</source>
        <translation>Centre name</translation>
    </message>
    <message>
        <source>本机编号</source>
        <translation>Computer number</translation>
    </message>
    <message>
        <source>同一服务中心的每台电脑各用一个编号（1–99），它是收据号的一部分。</source>
        <translation>Each computer of a service centre has its own number (1–99); it is part of every receipt number.</translation>
    </message>
    <message>
        <source>请填写服务中心名称。</source>
        <translation>Please enter the service centre name.</translation>
    </message>
</context>
<context>
    <name>CentreSettingsBox</name>
    <message>
        <source>中心设置</source>
        <translation>Centre settings</translation>
    </message>
    <message>
        <source>保存中心设置</source>
        <translation>Save centre settings</translation>
    </message>
    <message>
        <source>以上设置只读：只有%1可以修改。</source>
        <translation>These settings are read-only for you: only %1 may change them.</translation>
    </message>
    <message>
        <source>灰色的设置只读：只有%1可以修改。</source>
        <translation>Greyed settings are read-only for you: only %1 may change them.</translation>
    </message>
    <message>
        <source>读取中心设置出错：</source>
        <translation>Error while reading the centre settings: </translation>
    </message>
    <message>
        <source>没有改动。</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <source>有 %1 项未保存，请按提示修改。</source>
        <translation>%1 not saved; correct as shown. </translation>
    </message>
    <message>
        <source>已保存：%1。</source>
        <translation>Saved: %1.</translation>
    </message>
</context>
<context>
    <name>ChangeHeadDialog</name>
    <message>
        <source>设为户主</source>
        <translation>Make head</translation>
    </message>
    <message>
        <source>把“{name}”设为本户户主？</source>
        <translation>Make “{name}” the head of this household?</translation>
    </message>
    <message>
        <source>原户主的新关系</source>
        <translation>Former head's new relationship</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>原户主“{name}”改为</source>
        <translation>Former head “{name}” becomes</translation>
    </message>
    <message>
        <source>请选择原户主与新户主的关系（如配偶、父母）。</source>
        <translation>Choose what the former head is to the new head (e.g. spouse, parent).</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>核对名册的列</source>
        <translation>Check the roster's columns</translation>
    </message>
    <message>
        <source>名册 %1，工作表“%2”，第 %3 行是表头。请为每一列选择它对应的字段。</source>
        <translation>Roster %1, sheet “%2”: the headings are in row %3. Choose the field each column holds.</translation>
    </message>
    <message>
        <source>有 %1 列的表头没有认出（标为“未识别”）：请选择它们对应的字段，或不导入。</source>
        <translation>%1 columns have a heading that was not recognised (marked “not recognised”): choose their field, or do not import them.</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>表头（原样）</source>
        <translation>Heading (as written)</translation>
    </message>
    <message>
        <source>示例</source>
        <translation>Examples</translation>
    </message>
    <message>
        <source>导入为</source>
        <translation>Import as</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>未识别</source>
        <translation>not recognised</translation>
    </message>
    <message>
        <source>第 %1 列（%2）导入为</source>
        <translation>Column %1 (%2) imported as</translation>
    </message>
    <message>
        <source>不导入</source>
        <translation>do not import</translation>
    </message>
    <message>
        <source>%1（必填）</source>
        <translation>%1 — required</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>确定列对应</source>
        <translation>Confirm the columns</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>“%1”选给了第 %2 列：一个字段只能对应一列，请把其中一列改为别的字段或不导入。</source>
        <translation>“%1” is chosen for columns %2: a field can be one column only; change one of them to another field or to do not import.</translation>
    </message>
    <message>
        <source>还没有列对应必填字段：%1。</source>
        <translation>No column for the required fields: %1.</translation>
    </message>
    <message>
        <source>%1 ✓ 第 %2 列</source>
        <translation>%1 ✓ column %2</translation>
    </message>
    <message>
        <source>%1 ✗ 未对应</source>
        <translation>%1 ✗ not mapped</translation>
    </message>
    <message>
        <source>必填字段：%1</source>
        <translation>Required fields: %1</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>CoverageAnswerDialog</name>
    <message>
        <source>记录参保状态</source>
        <translation>Record coverage status</translation>
    </message>
    <message>
        <source>（不变）</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Coverage status</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>参保地</source>
        <translation>Where insured</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
</context>
<context>
    <name>CoveragePicture</name>
    <message>
        <source>保障项目</source>
        <translation>Insurance line</translation>
    </message>
    <message>
        <source>保障项目(&amp;L)</source>
        <translation>&amp;Line</translation>
    </message>
    <message>
        <source>重新统计</source>
        <translation>Count again</translation>
    </message>
    <message>
        <source>打印报告…</source>
        <translation>Print report…</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>点击柱形（或用方向键选中后按回车）可查看其中未参保、未核实人员的名单。</source>
        <translation>Click a bar (or pick it with the arrow keys and press Enter) to list its people not insured or not yet verified.</translation>
    </message>
    <message>
        <source>参保覆盖情况统计失败：%1</source>
        <translation>The coverage picture could not be counted: %1</translation>
    </message>
    <message>
        <source>截至 %1：在册 %2 人，不适用 %3 人，应参保 %4 人；已参保 %5 人（本地 %6、异地 %7），未参保 %8 人，未核实 %9 人；参保率 %10。</source>
        <translation>As of %1: %2 people present, %3 not concerned, %4 to insure; %5 covered (%6 here, %7 elsewhere), %8 not insured, %9 not yet verified; coverage rate %10.</translation>
    </message>
    <message>
        <source>正在生成参保覆盖情况报告…</source>
        <translation>Building the coverage report…</translation>
    </message>
</context>
<context>
    <name>DayCloseDialog</name>
    <message>
        <source>日结</source>
        <translation>Daily close</translation>
    </message>
    <message>
        <source>%1 的 %2 日结</source>
        <translation>Daily close of %1 for %2</translation>
    </message>
    <message>
        <source>收据</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>%1 张（%2 行）</source>
        <translation>%1 (%2 lines)</translation>
    </message>
    <message>
        <source>作废（不计入）</source>
        <translation>Voided (not counted)</translation>
    </message>
    <message>
        <source>%1 行，%2 元</source>
        <translation>%1 lines, %2 yuan</translation>
    </message>
    <message>
        <source>个人实收合计</source>
        <translation>Collected in total</translation>
    </message>
    <message>
        <source>%1 元</source>
        <translation>%1 yuan</translation>
    </message>
    <message>
        <source>其中非现金</source>
        <translation>Of which not cash</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <source>应收现金</source>
        <translation>Expected cash</translation>
    </message>
    <message>
        <source>实点现金（元）</source>
        <translation>Cash counted (yuan)</translation>
    </message>
    <message>
        <source>如 1,250.50</source>
        <translation>e.g. 1,250.50</translation>
    </message>
    <message>
        <source>实点现金（元）(&amp;C)</source>
        <translation>&amp;Cash counted (yuan)</translation>
    </message>
    <message>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <source>差额（实点−应收）</source>
        <translation>Difference (counted − expected)</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>说明(&amp;N)</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <source>确认日结</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%1 元（不符）</source>
        <translation>%1 yuan (does not match)</translation>
    </message>
    <message>
        <source>0.00 元（相符）</source>
        <translation>0.00 yuan (matches)</translation>
    </message>
    <message>
        <source>有差额时必须写明原因（至少2个字）。</source>
        <translation>With a difference, explain it in the note (at least 2 characters).</translation>
    </message>
    <message>
        <source>正在日结……</source>
        <translation>Closing the day…</translation>
    </message>
    <message>
        <source>日结失败：</source>
        <translation>The day could not be closed: </translation>
    </message>
</context>
<context>
    <name>DeclarationColumns</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>现缴费基数</source>
        <translation>Current base</translation>
    </message>
    <message>
        <source>上年月平均工资（元）</source>
        <translation>Last year's monthly wage (yuan)</translation>
    </message>
    <message>
        <source>申报基数</source>
        <translation>Declared base</translation>
    </message>
    <message>
        <source>核定说明</source>
        <translation>How the base was set</translation>
    </message>
    <message>
        <source>单位月缴</source>
        <translation>Employer / month</translation>
    </message>
    <message>
        <source>个人月缴</source>
        <translation>Employee / month</translation>
    </message>
</context>
<context>
    <name>DeskPrinting</name>
    <message>
        <source>这台电脑没有默认打印机：请在系统设置里设定默认打印机，或在设置页填写卷纸打印机端口；也可以按 Ctrl+Shift+P 预览后选择打印机。</source>
        <translation>This computer has no default printer: set one in the system settings, or enter the roll printer's port on the Settings page; or press Ctrl+Shift+P to preview and choose a printer.</translation>
    </message>
    <message>
        <source>卷纸打印机 %1 没有收到收据（%2）：请检查电源、纸和连接线后再按打印。</source>
        <translation>The roll printer %1 did not take the receipt (%2): check its power, paper and cable, then press Print again.</translation>
    </message>
</context>
<context>
    <name>DocumentChecklist</name>
    <message>
        <source>填写身份证号和就业类别后列出需查验的材料</source>
        <translation>Enter the ID number and employment type to list the documents to check</translation>
    </message>
    <message>
        <source>（必须）</source>
        <translation> (required)</translation>
    </message>
</context>
<context>
    <name>DraftsDialog</name>
    <message>
        <source>未保存的登记表</source>
        <translation>Unsaved enrolment forms</translation>
    </message>
    <message>
        <source>上次未保存的登记表（程序异常退出、关闭窗口或自动锁定时留下）：</source>
        <translation>Enrolment forms left unsaved last time (by a crash, a closed window or the idle lock):</translation>
    </message>
    <message>
        <source>选择一份恢复继续填写，或丢弃；以后再说则下次登录时再提示。</source>
        <translation>Restore one to carry on, or discard it; "Later" offers them again at the next login.</translation>
    </message>
    <message>
        <source>草稿列表</source>
        <translation>Drafts</translation>
    </message>
    <message>
        <source>姓名与证件号</source>
        <translation>Name and ID number</translation>
    </message>
    <message>
        <source>保存时间</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>丢弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>EmployerColumns</name>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Employer name</translation>
    </message>
    <message>
        <source>单位类型</source>
        <translation>Employer type</translation>
    </message>
    <message>
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>工伤风险类别</source>
        <translation>Work-injury risk class</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>职工</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>未参保职工</source>
        <translation>Not insured</translation>
    </message>
</context>
<context>
    <name>EmployerDialog</name>
    <message>
        <source>登记用人单位</source>
        <translation>Register employer</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>18位，见营业执照</source>
        <translation>18 characters, on the business licence</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Employer name</translation>
    </message>
    <message>
        <source>单位类型</source>
        <translation>Employer type</translation>
    </message>
    <message>
        <source>所属行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>工伤风险类别</source>
        <translation>Work-injury risk class</translation>
    </message>
    <message>
        <source>（未定）</source>
        <translation>(Not set)</translation>
    </message>
    <message>
        <source>%1（基准费率 %2%）</source>
        <translation>%1 (base rate %2%)</translation>
    </message>
    <message>
        <source>单位地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EmployerEnrolmentDialog</name>
    <message>
        <source>单位参保登记：%1</source>
        <translation>Employer enrolment: %1</translation>
    </message>
    <message>
        <source>参保日期</source>
        <translation>Insured from</translation>
    </message>
    <message>
        <source>工伤风险类别</source>
        <translation>Work-injury risk class</translation>
    </message>
    <message>
        <source>（未定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <source>浮动费率</source>
        <translation>Floating rate</translation>
    </message>
    <message>
        <source>参保险种</source>
        <translation>Schemes</translation>
    </message>
    <message>
        <source>工伤保险费率</source>
        <translation>Work-injury rate</translation>
    </message>
    <message>
        <source>基准费率</source>
        <translation>Benchmark rate</translation>
    </message>
    <message>
        <source>基准的%1%</source>
        <translation>%1% of the benchmark</translation>
    </message>
    <message>
        <source>不参加工伤保险</source>
        <translation>No work-injury insurance</translation>
    </message>
    <message>
        <source>请选择行业风险类别</source>
        <translation>Choose the industry risk class</translation>
    </message>
    <message>
        <source>%1%（由单位缴纳）</source>
        <translation>%1% (paid by the employer)</translation>
    </message>
</context>
<context>
    <name>EmployerPicker</name>
    <message>
        <source>用人单位（名称或统一社会信用代码）</source>
        <translation>Employer (name or unified social credit code)</translation>
    </message>
    <message>
        <source>输入单位名称或统一社会信用代码查找</source>
        <translation>Type an employer name or unified social credit code to search</translation>
    </message>
    <message>
        <source>查到的用人单位</source>
        <translation>Employers found</translation>
    </message>
    <message>
        <source>没有找到该单位；请先在“用人单位”中登记。</source>
        <translation>Employer not found; register it under “Employers” first.</translation>
    </message>
    <message>
        <source>查找单位失败：{error}</source>
        <translation>Employer search failed: {error}</translation>
    </message>
    <message>
        <source>尚未选择单位</source>
        <translation>No employer selected</translation>
    </message>
    <message>
        <source>已选：{name}</source>
        <translation>Selected: {name}</translation>
    </message>
</context>
<context>
    <name>EmployersPage</name>
    <message>
        <source>查找单位</source>
        <translation>Find employer</translation>
    </message>
    <message>
        <source>单位名称任意部分或统一社会信用代码</source>
        <translation>Any part of the employer name, or unified social credit code</translation>
    </message>
    <message>
        <source>登记单位（Ctrl+Shift+N）</source>
        <translation>Register employer (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <source>登记单位</source>
        <translation>Register employer</translation>
    </message>
    <message>
        <source>只看有未参保职工的单位</source>
        <translation>Only employers with workers not insured</translation>
    </message>
    <message>
        <source>已知在该单位工作、但未参加任何职工险种的人员（来自花名册、调查或登记库）</source>
        <translation>People known to work there (rosters, surveys, the registry) who hold no employees' scheme</translation>
    </message>
    <message>
        <source>单位列表</source>
        <translation>Employer list</translation>
    </message>
    <message>
        <source>选择一个单位查看其职工。</source>
        <translation>Select an employer to see its employees.</translation>
    </message>
    <message>
        <source>为该单位职工参保（Ctrl+Shift+E）</source>
        <translation>Enrol employee (Ctrl+Shift+E)</translation>
    </message>
    <message>
        <source>为该单位职工参保</source>
        <translation>Enrol an employee of this employer</translation>
    </message>
    <message>
        <source>单位参保登记</source>
        <translation>Employer enrolment</translation>
    </message>
    <message>
        <source>增员</source>
        <translation>Add employee</translation>
    </message>
    <message>
        <source>减员</source>
        <translation>Remove employee</translation>
    </message>
    <message>
        <source>缴费基数申报</source>
        <translation>Base declaration</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>打印单位表格</source>
        <translation>Print the employer's papers</translation>
    </message>
    <message>
        <source>参保单位登记表</source>
        <translation>Employer registration form</translation>
    </message>
    <message>
        <source>本月增减员表</source>
        <translation>This month's change list</translation>
    </message>
    <message>
        <source>职工花名册（含缴费基数）</source>
        <translation>Employee roster with bases</translation>
    </message>
    <message>
        <source>单位职工</source>
        <translation>Employees</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 个单位</source>
        <translation>
            <numerusform>%n employer</numerusform>
            <numerusform>%n employers</numerusform>
        </translation>
    </message>
    <message>
        <source>读取出错：</source>
        <translation>Error while loading: </translation>
    </message>
    <message>
        <source>关联从业人员</source>
        <translation>Link a worker</translation>
    </message>
    <message>
        <source>类型：%1　行业：%2　工伤风险类别：%3</source>
        <translation>Type: %1   Industry: %2   Work-injury risk class: %3</translation>
    </message>
    <message>
        <source>地址：%1　联系人：%2</source>
        <translation>Address: %1   Contact: %2</translation>
    </message>
    <message>
        <source>由%1中心登记管理：本中心可为本中心管理的人员办理增员、减员。</source>
        <translation>Managed by centre %1: this centre can add and remove the employees it manages.</translation>
    </message>
    <message>
        <source>有 %1 名已知职工未参加职工险种：请督促单位办理增员。</source>
        <translation>Known workers without an employees' scheme: %1. Ask the employer to enrol them.</translation>
    </message>
    <message>
        <source>尚未办理单位参保登记。</source>
        <translation>Not enrolled as an employer yet.</translation>
    </message>
    <message>
        <source>参保险种：%1（自%2起）</source>
        <translation>Schemes: %1 (from %2)</translation>
    </message>
    <message>
        <source>　工伤浮动费率：基准的%1%</source>
        <translation>   Work-injury rate floated to %1% of the benchmark</translation>
    </message>
    <message>
        <source>请先在职工列表中选择要减员的职工。</source>
        <translation>Choose the employee to remove in the list first.</translation>
    </message>
    <message>
        <source>%1不是本单位在职职工。</source>
        <translation>%1 is not a current employee here.</translation>
    </message>
</context>
<context>
    <name>EnrolmentDrafts</name>
    <message>
        <source>已恢复未保存的草稿，请核对后保存。</source>
        <translation>An unsaved draft was restored. Please check it, then save.</translation>
    </message>
    <message>
        <source>（未填姓名）</source>
        <translation>(no name)</translation>
    </message>
    <message>
        <source>登记表未保存</source>
        <translation>Enrolment form not saved</translation>
    </message>
    <message>
        <source>登记表中有尚未保存的内容。</source>
        <translation>The enrolment form has input that is not saved.</translation>
    </message>
    <message>
        <source>保存为草稿：以后登录时可以恢复；放弃：删除已输入的内容；取消：继续填写。</source>
        <translation>Save as draft: restore it at a later login. Discard: delete what was typed. Cancel: carry on with the form.</translation>
    </message>
    <message>
        <source>保存为草稿</source>
        <translation>Save as draft</translation>
    </message>
    <message>
        <source>放弃</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EnrolmentForm</name>
    <message>
        <source>人员基本信息</source>
        <translation>Personal details</translation>
    </message>
    <message>
        <source>参保险种</source>
        <translation>Insurance schemes</translation>
    </message>
    <message>
        <source>需查验的材料</source>
        <translation>Documents to check</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>打印参保登记表</source>
        <translation>Print enrolment form</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Take payment</translation>
    </message>
    <message>
        <source>正在读取人员信息……</source>
        <translation>Loading the person's details…</translation>
    </message>
    <message>
        <source>参保登记（新增）</source>
        <translation>Enrolment (new)</translation>
    </message>
    <message>
        <source>参保信息修改：{name}</source>
        <translation>Edit enrolment: {name}</translation>
    </message>
    <message>
        <source>保存后可打印</source>
        <translation>Save first to print</translation>
    </message>
    <message>
        <source>此身份证号已登记：{name}（{id}），请打开该人员办理，不要重复登记。</source>
        <translation>This ID number is already registered: {name} ({id}). Open that person instead of enrolling them again.</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
</context>
<context>
    <name>EnrolmentSaving</name>
    <message>
        <source>此身份证号已登记，请打开该人员办理。</source>
        <translation>This ID number is already registered. Please open that person.</translation>
    </message>
    <message>
        <source>单位职工须选择用人单位。</source>
        <translation>Employees must have an employer selected.</translation>
    </message>
    <message>
        <source>材料未查验</source>
        <translation>Documents not checked</translation>
    </message>
    <message>
        <source>以下材料尚未勾选为已查验：</source>
        <translation>These documents are not yet ticked as checked:</translation>
    </message>
    <message>
        <source>仍然保存</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>返回核对</source>
        <translation>Go back and check</translation>
    </message>
    <message>
        <source>正在保存……</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>保存失败：{error}。填写的内容仍在表单中，可稍后重试。</source>
        <translation>Saving failed: {error}. Your entries are still in the form; you can try again later.</translation>
    </message>
    <message>
        <source>有{n}处需要修改，请看各栏下方的红字说明。</source>
        <translation>{n} field(s) need correcting; see the red notes below the fields.</translation>
    </message>
</context>
<context>
    <name>ExportConsentDialog</name>
    <message>
        <source>确认导出个人信息</source>
        <translation>Confirm the export of personal data</translation>
    </message>
    <message>
        <source>导出的文件将含个人信息：%1。</source>
        <translation>The file will hold personal data: %1.</translation>
    </message>
    <message>
        <source>写入：%1</source>
        <translation>Written to: %1</translation>
    </message>
    <message>
        <source>本次导出将记入审计日志（导出人、时间、文件名和文件校验值）。请妥善保管该文件，不要转发或上传到网盘、聊天工具，用完即删。</source>
        <translation>This export is recorded in the audit trail (who, when, the file's name and checksum). Keep the file safe: do not forward it or upload it to cloud drives or chats, and delete it when done.</translation>
    </message>
    <message>
        <source>确认导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <source>导出登记库…</source>
        <translation>Export the registry…</translation>
    </message>
    <message>
        <source>保障项目</source>
        <translation>Insurance line</translation>
    </message>
    <message>
        <source>全部保障项目</source>
        <translation>All lines</translation>
    </message>
    <message>
        <source>导出参保状态…</source>
        <translation>Export coverage status…</translation>
    </message>
    <message>
        <source>取消导出</source>
        <translation>Cancel the export</translation>
    </message>
    <message>
        <source>导出的文件含完整身份证号、姓名、电话等个人信息；导出前会请您确认，每次导出都记入审计日志。</source>
        <translation>These files hold personal data (full ID numbers, names, phones); you are asked to confirm first, and every export is recorded in the audit trail.</translation>
    </message>
    <message>
        <source>导出到 Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>人员登记库</source>
        <translation>Registry</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Coverage status</translation>
    </message>
    <message>
        <source>导出登记库</source>
        <translation>Export the registry</translation>
    </message>
    <message>
        <source>导出参保状态</source>
        <translation>Export coverage status</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>正在统计人数…</source>
        <translation>Counting people…</translation>
    </message>
    <message>
        <source>已取消导出，未写入文件。</source>
        <translation>Export cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>正在导出到 %1…</source>
        <translation>Exporting to %1…</translation>
    </message>
    <message>
        <source>已导出 %1 行到 %2，已记入审计日志。</source>
        <translation>Exported %1 rows to %2; recorded in the audit trail.</translation>
    </message>
    <message>
        <source>导出失败：</source>
        <translation>Export failed: </translation>
    </message>
</context>
<context>
    <name>FieldVisit</name>
    <message>
        <source>已走访</source>
        <translation>Visited</translation>
    </message>
    <message>
        <source>无人在家</source>
        <translation>Nobody home</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>未走访</source>
        <translation>Not visited</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>村（居）委会</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>家庭住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>（无户主）</source>
        <translation>(no head)</translation>
    </message>
    <message>
        <source>在册人数</source>
        <translation>People on the lists</translation>
    </message>
    <message>
        <source>未覆盖</source>
        <translation>Not covered</translation>
    </message>
    <message>
        <source>走访结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>已死亡 %1</source>
        <translation>Died %1</translation>
    </message>
    <message>
        <source>已迁出 %1</source>
        <translation>Moved away %1</translation>
    </message>
    <message>
        <source>他中心管理</source>
        <translation>Another centre's</translation>
    </message>
    <message>
        <source>已记录</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>在户</source>
        <translation>Confirmed here</translation>
    </message>
    <message>
        <source>迁出 %1</source>
        <translation>Moving away %1</translation>
    </message>
    <message>
        <source>死亡 %1</source>
        <translation>Died %1</translation>
    </message>
    <message>
        <source>待确认</source>
        <translation>To confirm</translation>
    </message>
    <message>
        <source>养老保险</source>
        <translation>Pension</translation>
    </message>
    <message>
        <source>医疗保险</source>
        <translation>Medical</translation>
    </message>
    <message>
        <source>工伤保障</source>
        <translation>Injury</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relationship to head</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>本次走访</source>
        <translation>This visit</translation>
    </message>
</context>
<context>
    <name>FieldVisitPage</name>
    <message>
        <source>入户走访</source>
        <translation>Field visits</translation>
    </message>
    <message>
        <source>走访行程</source>
        <translation>Trip</translation>
    </message>
    <message>
        <source>计划行程</source>
        <translation>Plan a trip</translation>
    </message>
    <message>
        <source>打印调查表</source>
        <translation>Print survey sheets</translation>
    </message>
    <message>
        <source>打印走访清单</source>
        <translation>Print visit list</translation>
    </message>
    <message>
        <source>行程小结</source>
        <translation>Trip summary</translation>
    </message>
    <message>
        <source>新建家庭户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>结束行程</source>
        <translation>Close trip</translation>
    </message>
    <message>
        <source>行程中的家庭户</source>
        <translation>Households of the trip</translation>
    </message>
    <message>
        <source>走访此户（Enter）</source>
        <translation>Visit this household (Enter)</translation>
    </message>
    <message>
        <source>行程</source>
        <translation>Trip</translation>
    </message>
    <message>
        <source>（已结束）</source>
        <translation> (closed)</translation>
    </message>
    <message>
        <source>{done}/{total}户</source>
        <translation>{done}/{total} households</translation>
    </message>
    <message>
        <source>还没有走访行程：按“计划行程”（Alt+N）选择村（居）委会。</source>
        <translation>No trip yet: press “Plan a trip” (Alt+N) and choose villages.</translation>
    </message>
    <message>
        <source>已走访 {visited}/{total} 户 · 已记录 {recorded} 人 · 尚未覆盖 {uncovered} 人</source>
        <translation>Visited {visited}/{total} households · {recorded} people recorded · {uncovered} not yet covered</translation>
    </message>
    <message>
        <source>已新建家庭户：{address}，户主{head}。计划行程后可走访此户。</source>
        <translation>Household created: {address}, head {head}. Plan a trip to visit it.</translation>
    </message>
    <message>
        <source>正在生成入户调查表…</source>
        <translation>Building the survey sheets…</translation>
    </message>
    <message>
        <source>正在生成走访清单…</source>
        <translation>Building the visit list…</translation>
    </message>
    <message>
        <source>正在生成行程小结…</source>
        <translation>Building the trip summary…</translation>
    </message>
</context>
<context>
    <name>FigurePanel</name>
    <message>
        <source>截至 %1。%2</source>
        <translation>As of %1. %2</translation>
    </message>
    <message>
        <source>%1：%2（按回车键查看名单）</source>
        <translation>%1: %2 (press Enter for the list)</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>FrontDeskPage</name>
    <message>
        <source>返回查找（Alt+←）</source>
        <translation>Back to search (Alt+←)</translation>
    </message>
    <message>
        <source>返回查找</source>
        <translation>Back to search</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>查找人员（Ctrl+F）</source>
        <translation>Find person (Ctrl+F)</translation>
    </message>
    <message>
        <source>新参保登记（Ctrl+N）</source>
        <translation>New enrolment (Ctrl+N)</translation>
    </message>
    <message>
        <source>今日工作</source>
        <translation>Today's work</translation>
    </message>
    <message>
        <source>今天还没有办理业务。</source>
        <translation>Nothing has been done yet today.</translation>
    </message>
    <message>
        <source>需要处理</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>没有需要处理的事项。</source>
        <translation>Nothing needs attention.</translation>
    </message>
    <message>
        <source>工作清单（Ctrl+Shift+L）</source>
        <translation>Worklists (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>星期一</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>星期二</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>星期三</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>星期四</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>星期五</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>星期六</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>星期日</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>今日 · %1 %2 · %3</source>
        <translation>Today · %2 %1 · %3</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrolments</translation>
    </message>
    <message>
        <source>缴费（笔）</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>收据（张）</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>现金收取</source>
        <translation>Cash taken</translation>
    </message>
    <message>
        <source>其他方式</source>
        <translation>Other means</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>全中心</source>
        <translation>Whole centre</translation>
    </message>
    <message>
        <source>审核员退回 %1 条记录待更正 → 前台</source>
        <translation>%1 record(s) sent back by the reviewer to correct → Front desk</translation>
    </message>
    <message>
        <source>同步队列 %1 条待处理（冲突 %2，被拒 %3）→ 数据同步</source>
        <translation>%1 in the sync queue to resolve (%2 conflicts, %3 refused) → Sync</translation>
    </message>
    <message>
        <source>%1 个经办日未日结（最早 %2 %3）→ 审核·日结</source>
        <translation>%1 working day(s) not closed (earliest %2, %3) → Review · Day close</translation>
    </message>
    <message>
        <source>%1 份未完成的登记草稿（最近：%2）→ 继续或放弃</source>
        <translation>%1 unfinished enrolment draft(s) (latest: %2) → resume or discard</translation>
    </message>
</context>
<context>
    <name>HouseholdWalk</name>
    <message>
        <source>家庭成员</source>
        <translation>Household members</translation>
    </message>
    <message>
        <source>返回户列表</source>
        <translation>Back to households</translation>
    </message>
    <message>
        <source>全部在户</source>
        <translation>All here</translation>
    </message>
    <message>
        <source>添加新生儿/迁入</source>
        <translation>Add newborn / moved in</translation>
    </message>
    <message>
        <source>当场参保</source>
        <translation>Enrol on the spot</translation>
    </message>
    <message>
        <source>收费</source>
        <translation>Take payment</translation>
    </message>
    <message>
        <source>设为户主</source>
        <translation>Make head</translation>
    </message>
    <message>
        <source>走访结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>走访备注</source>
        <translation>Visit note</translation>
    </message>
    <message>
        <source>走访备注（如：下午再来）</source>
        <translation>Visit note (e.g. come back this afternoon)</translation>
    </message>
    <message>
        <source>保存走访（Enter）</source>
        <translation>Save visit (Enter)</translation>
    </message>
    <message>
        <source>正在读取家庭户……</source>
        <translation>Reading the household…</translation>
    </message>
    <message>
        <source>%1 %2　户主：%3</source>
        <translation>%1 %2 · head: %3</translation>
    </message>
    <message>
        <source>（无户主）</source>
        <translation>(no head)</translation>
    </message>
    <message>
        <source>先保存走访，再为新成员办理</source>
        <translation>Save the visit first, then serve the new member</translation>
    </message>
    <message>
        <source>正在更改户主……</source>
        <translation>Changing the head…</translation>
    </message>
    <message>
        <source>户主已改为{name}。</source>
        <translation>The head is now {name}.</translation>
    </message>
    <message>
        <source>未能更改户主：{reason}</source>
        <translation>The head was not changed: {reason}</translation>
    </message>
    <message>
        <source>正在保存……</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>走访已保存：记录{n}人。</source>
        <translation>Visit saved: {n} people recorded.</translation>
    </message>
    <message>
        <source>保存失败：{error}。已填写的内容仍在，可稍后重试。</source>
        <translation>Saving failed: {error}. Everything entered is still here; try again later.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>增员：%1</source>
        <translation>Add an employee: %1</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>已在前台登记的人员</source>
        <translation>a person registered at the front desk</translation>
    </message>
    <message>
        <source>增员日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>月缴费基数（元）</source>
        <translation>Monthly base (yuan)</translation>
    </message>
    <message>
        <source>参保险种</source>
        <translation>Schemes</translation>
    </message>
    <message>
        <source>本省份尚无平均工资数据</source>
        <translation>No provincial average wage in the parameters</translation>
    </message>
    <message>
        <source>可选范围：%1 至 %2 元（全省平均工资的60%–300%）</source>
        <translation>Allowed: %1 to %2 yuan (60%–300% of the provincial average wage)</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>减员：%1</source>
        <translation>Remove an employee: %1</translation>
    </message>
    <message>
        <source>减员日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>减员原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>减员日期（最后参保日）</source>
        <translation>End date (last insured day)</translation>
    </message>
    <message>
        <source>属于非因本人意愿中断就业：参加失业保险满一年的，职工可按规定申领失业保险金。请如实选择。</source>
        <translation>Involuntary loss of employment: after at least a year in unemployment insurance, the employee may claim unemployment benefit. Choose the true reason.</translation>
    </message>
    <message>
        <source>属于本人原因中断就业：不符合申领失业保险金的条件。请如实选择。</source>
        <translation>The employee's own reason: no claim to unemployment benefit. Choose the true reason.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>屏幕已锁定</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>%1 — 长时间无操作，已自动锁定。数据库已关闭。</source>
        <translation>%1 — locked after a while without input. The database is closed.</translation>
    </message>
    <message>
        <source>本人输入密码可回到原来的页面，未保存的内容都还在；</source>
        <translation>Type your password to return to where you were, with unsaved input intact;</translation>
    </message>
    <message>
        <source>其他操作员登录将打开新的页面，原操作员未保存的登记表留作其草稿。</source>
        <translation>another operator logging in gets a clean window, and the unsaved form stays as the first operator's draft.</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录 — 社保经办</source>
        <translation>Log in — Caseworker</translation>
    </message>
    <message>
        <source>用恢复密钥登录…</source>
        <translation>Log in with the recovery key…</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>此数据文件夹中还没有服务中心：请先运行 caseworker setup 或 caseworker demo。</source>
        <translation>This data folder has no service centre yet: run caseworker setup or caseworker demo first.</translation>
    </message>
</context>
<context>
    <name>LoginPanel</name>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>登录失败次数过多：操作员“%1”须等待 %2 后才能再试。</source>
        <translation>Too many failed logins: operator "%1" must wait %2 before trying again.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>前台</source>
        <translation>Front desk</translation>
    </message>
    <message>
        <source>用人单位</source>
        <translation>Employers</translation>
    </message>
    <message>
        <source>缴费</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>数据同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>审计</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>工作清单</source>
        <translation>Worklists</translation>
    </message>
    <message>
        <source>入户走访</source>
        <translation>Field visits</translation>
    </message>
    <message>
        <source>名册导入</source>
        <translation>Rosters</translation>
    </message>
    <message>
        <source>办理(&amp;W)</source>
        <translation>&amp;Work</translation>
    </message>
    <message>
        <source>页面(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>查找人员</source>
        <translation>Find person</translation>
    </message>
    <message>
        <source>新参保登记</source>
        <translation>New enrolment</translation>
    </message>
    <message>
        <source>登记用人单位</source>
        <translation>Register employer</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于社保经办…</source>
        <translation>About Caseworker…</translation>
    </message>
    <message>
        <source>社保经办 — %1 — %2（%3）</source>
        <translation>Caseworker — %1 — %2 (%3)</translation>
    </message>
    <message>
        <source>页面导航</source>
        <translation>Page navigation</translation>
    </message>
    <message>
        <source>参保状态更新失败：%1</source>
        <translation>Coverage statuses could not be brought up to date: %1</translation>
    </message>
    <message>
        <source>待上传：…</source>
        <translation>Waiting to upload: …</translation>
    </message>
    <message>
        <source>待上传 %1 条</source>
        <translation>%1 waiting to upload</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>Never synced</translation>
    </message>
    <message numerus="yes">
        <source>上次同步：%n 分钟前</source>
        <translation>
            <numerusform>Last sync: %n minute ago</numerusform>
            <numerusform>Last sync: %n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>上次同步：%n 小时前</source>
        <translation>
            <numerusform>Last sync: %n hour ago</numerusform>
            <numerusform>Last sync: %n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>上次同步：%n 天前</source>
        <translation>
            <numerusform>Last sync: %n day ago</numerusform>
            <numerusform>Last sync: %n days ago</numerusform>
        </translation>
    </message>
    <message>
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>仅局域网</source>
        <translation>LAN only</translation>
    </message>
    <message>
        <source>网络状态未知</source>
        <translation>Network status unknown</translation>
    </message>
</context>
<context>
    <name>MemberEditor</name>
    <message>
        <source>在户(&amp;C)</source>
        <translation>&amp;Confirmed here</translation>
    </message>
    <message>
        <source>迁出(&amp;M)</source>
        <translation>&amp;Moved away</translation>
    </message>
    <message>
        <source>死亡(&amp;D)</source>
        <translation>&amp;Died</translation>
    </message>
    <message>
        <source>在户</source>
        <translation>Confirmed here</translation>
    </message>
    <message>
        <source>迁出</source>
        <translation>Moved away</translation>
    </message>
    <message>
        <source>死亡</source>
        <translation>Died</translation>
    </message>
    <message>
        <source>迁出或死亡日期</source>
        <translation>Date moved away or died</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>保障项目</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（不变）</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>参保地</source>
        <translation>Where insured</translation>
    </message>
    <message>
        <source>异地参保地</source>
        <translation>Where insured elsewhere</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>与记录不同时说明原因</source>
        <translation>Why, when it differs from the records</translation>
    </message>
    <message>
        <source>（请选择原因）</source>
        <translation>(choose a reason)</translation>
    </message>
    <message>
        <source>请在上表中选择一名成员</source>
        <translation>Choose a member in the table above</translation>
    </message>
</context>
<context>
    <name>NewHouseholdDialog</name>
    <message>
        <source>新建家庭户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>村（居）委会</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>详细地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>如：3组12号</source>
        <translation>e.g. group 3, no. 12</translation>
    </message>
    <message>
        <source>家庭户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>户主基本信息</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>保存家庭户</source>
        <translation>Save household</translation>
    </message>
    <message>
        <source>请填写详细地址（组、门牌号）。</source>
        <translation>Enter the address (group, house number).</translation>
    </message>
    <message>
        <source>正在保存……</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>有{n}处需要修改，请看各栏下方的红字说明。</source>
        <translation>{n} field(s) need correcting; see the red notes below the fields.</translation>
    </message>
    <message>
        <source>保存失败：{error}。已填写的内容仍在，可稍后重试。</source>
        <translation>Saving failed: {error}. Everything entered is still here; try again later.</translation>
    </message>
</context>
<context>
    <name>NewcomerDialog</name>
    <message>
        <source>添加新生儿或迁入人员</source>
        <translation>Add a newborn or a person who moved in</translation>
    </message>
    <message>
        <source>新生儿(&amp;B)</source>
        <translation>Ne&amp;wborn</translation>
    </message>
    <message>
        <source>新生儿</source>
        <translation>Newborn</translation>
    </message>
    <message>
        <source>迁入(&amp;I)</source>
        <translation>Moved &amp;in</translation>
    </message>
    <message>
        <source>迁入</source>
        <translation>Moved in</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relationship to head</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>迁入（出生）日期</source>
        <translation>Moved in (born) on</translation>
    </message>
    <message>
        <source>家庭关系</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>人员基本信息</source>
        <translation>Personal details</translation>
    </message>
    <message>
        <source>加入本户</source>
        <translation>Add to household</translation>
    </message>
    <message>
        <source>请选择与户主关系。</source>
        <translation>Choose the relationship to the head.</translation>
    </message>
    <message>
        <source>有{n}处需要修改，请看各栏下方的红字说明。</source>
        <translation>{n} things to fix: see the red notes under the fields.</translation>
    </message>
</context>
<context>
    <name>OperatorDialog</name>
    <message>
        <source>新增操作员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <source>修改角色和所属机构</source>
        <translation>Change role and agency</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>经办员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>审核员</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>所属机构</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>本中心</source>
        <translation>This centre</translation>
    </message>
    <message>
        <source>本中心，或外包机构名称</source>
        <translation>This centre, or the contracted agency's name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation>Password again</translation>
    </message>
    <message>
        <source>外包机构的人员只能担任经办员；审核、作废和管理由本中心人员负责。</source>
        <translation>Staff of a contracted agency may only be clerks; review, voids and administration stay with the centre's own staff.</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>重置密码后该操作员会得到新的签名密钥：以前的记录仍用旧公钥核验，旧密码（包括备份的密钥文件）不再能签署新记录。</source>
        <translation>After a reset the operator gets a new signing key: older entries still verify with the old public key, and the old password (or a backed-up key file) can no longer sign new ones.</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写用户名（登录时输入的名字）。</source>
        <translation>Enter a username (the name typed at login).</translation>
    </message>
    <message>
        <source>外包机构的人员只能担任经办员：请把角色改为“经办员”，或把机构改为“本中心”。</source>
        <translation>Staff of a contracted agency may only be clerks: choose "Clerk", or set the agency to this centre.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致，请重新输入。</source>
        <translation>The two passwords differ; type them again.</translation>
    </message>
    <message>
        <source>密码至少8个字符，不能全是同一个字符，也不能与用户名相同。</source>
        <translation>A password has at least 8 characters, not all the same, and is not the username.</translation>
    </message>
</context>
<context>
    <name>OperatorsPage</name>
    <message>
        <source>本中心</source>
        <translation>This centre</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>所属机构</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>最后登录</source>
        <translation>Last login</translation>
    </message>
    <message>
        <source>登录锁定</source>
        <translation>Login lockout</translation>
    </message>
    <message>
        <source>操作员列表</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>新增操作员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <source>修改角色/机构</source>
        <translation>Role / agency</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>操作员管理</source>
        <translation>Operator management</translation>
    </message>
    <message>
        <source>只有管理员可以管理操作员。</source>
        <translation>Only administrators manage operators.</translation>
    </message>
    <message>
        <source>连续失败 %1 次，锁定至 %2</source>
        <translation>%1 failures in a row, locked until %2</translation>
    </message>
    <message>
        <source>连续失败 %1 次</source>
        <translation>%1 failures in a row</translation>
    </message>
    <message>
        <source>停用操作员</source>
        <translation>Disable operator</translation>
    </message>
    <message>
        <source>停用“%1”？停用后该操作员不能再登录，其密钥槽和签名密钥从密钥文件中删除；</source>
        <translation>Disable "%1"? They can no longer log in, and their key slot and signing key are removed from the key file; </translation>
    </message>
    <message>
        <source>其以前的记录仍可核验。</source>
        <translation>their past entries still verify.</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PasswordPolicy</name>
    <message>
        <source>密码至少需要8个字符。</source>
        <translation>The password needs at least 8 characters.</translation>
    </message>
    <message>
        <source>密码不能全是同一个字符。</source>
        <translation>The password cannot be one character repeated.</translation>
    </message>
    <message>
        <source>密码不能与用户名相同。</source>
        <translation>The password cannot be the same as the username.</translation>
    </message>
</context>
<context>
    <name>PaymentColumns</name>
    <message>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <source>银行卡</source>
        <translation>Bank card</translation>
    </message>
    <message>
        <source>微信</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <source>银行转账</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>银行</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>税务APP</source>
        <translation>Tax app</translation>
    </message>
    <message>
        <source>税务凭证 %1</source>
        <translation>Tax voucher %1</translation>
    </message>
    <message>
        <source>税务渠道</source>
        <translation>Tax channel</translation>
    </message>
    <message>
        <source>柜台</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>收据号/凭证号</source>
        <translation>Receipt / voucher no.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (¥)</translation>
    </message>
    <message>
        <source>个人缴纳（元）</source>
        <translation>Personal share (¥)</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>收费</source>
        <translation>Take payment</translation>
    </message>
    <message>
        <source> 个月</source>
        <translation> months</translation>
    </message>
    <message>
        <source>缴费方式</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <source>缴费期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>档次/基数</source>
        <translation>Tier / base</translation>
    </message>
    <message>
        <source>缴费项目</source>
        <translation>Contribution</translation>
    </message>
    <message>
        <source>月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <source>应缴金额</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>金额大写</source>
        <translation>Amount in words</translation>
    </message>
    <message>
        <source>确认收费</source>
        <translation>Confirm payment</translation>
    </message>
    <message>
        <source>打印收据</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <source>直接打印到本机的收据打印机（Ctrl+P）</source>
        <translation>Print straight to this desk's receipt printer (Ctrl+P)</translation>
    </message>
    <message>
        <source>预览…</source>
        <translation>Preview…</translation>
    </message>
    <message>
        <source>预览收据</source>
        <translation>Preview the receipt</translation>
    </message>
    <message>
        <source>预览收据，可选择打印机或另存为 PDF（Ctrl+Shift+P）</source>
        <translation>Preview the receipt, choose a printer or save it as PDF (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在读取参保信息……</source>
        <translation>Loading enrolment details…</translation>
    </message>
    <message>
        <source>{period}（补缴）</source>
        <translation>{period} (arrears)</translation>
    </message>
    <message>
        <source>缴费人：{name}（{id}）</source>
        <translation>Payer: {name} ({id})</translation>
    </message>
    <message>
        <source>该人员没有有效的参保险种，请先办理参保登记。</source>
        <translation>This person has no active scheme. Please complete enrolment first.</translation>
    </message>
    <message>
        <source>今天没有可以缴费的期间。</source>
        <translation>Nothing can be paid today.</translation>
    </message>
    <message>
        <source>{person} · {scheme}</source>
        <translation>{person} · {scheme}</translation>
    </message>
    <message>
        <source>缴费：{line}</source>
        <translation>Pay: {line}</translation>
    </message>
    <message>
        <source>{line}的缴费期间</source>
        <translation>Period of {line}</translation>
    </message>
    <message>
        <source>{line}的缴费月数</source>
        <translation>Months of {line}</translation>
    </message>
    <message>
        <source>{n}元档</source>
        <translation>¥{n} tier</translation>
    </message>
    <message>
        <source>月缴费基数{n}元</source>
        <translation>Monthly contribution base ¥{n}</translation>
    </message>
    <message>
        <source>正在打印收据……</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <source>收据已送到打印机。</source>
        <translation>The receipt went to the printer.</translation>
    </message>
    <message>
        <source>收据没有打印，请看提示。</source>
        <translation>The receipt was not printed: see the message.</translation>
    </message>
    <message>
        <source>{period} 已缴费（收据 {number}）</source>
        <translation>{period} paid (receipt {number})</translation>
    </message>
    <message>
        <source>已缴费</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>无法计算金额</source>
        <translation>The amount cannot be worked out</translation>
    </message>
    <message>
        <source>今天不在征缴期</source>
        <translation>Not collected today</translation>
    </message>
    <message>
        <source>¥{amount}（{count}项）</source>
        <translation>¥{amount} ({count} items)</translation>
    </message>
    <message>
        <source>¥{amount}</source>
        <translation>¥{amount}</translation>
    </message>
    <message>
        <source>正在收费……</source>
        <translation>Taking payment…</translation>
    </message>
    <message>
        <source>收费成功。</source>
        <translation>Payment taken.</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>收据号：{number}</source>
        <translation>Receipt no.: {number}</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>操作失败：{error}</source>
        <translation>Operation failed: {error}</translation>
    </message>
</context>
<context>
    <name>PaymentsPage</name>
    <message>
        <source>当日缴费</source>
        <translation>Today's payments</translation>
    </message>
    <message>
        <source>打印当日收据</source>
        <translation>Print today's receipts</translation>
    </message>
    <message>
        <source>日报表</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <source>补打收据</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <source>解缴清单</source>
        <translation>Remittance list</translation>
    </message>
    <message>
        <source>导入税务缴费清单</source>
        <translation>Match tax list</translation>
    </message>
    <message>
        <source>作废收据</source>
        <translation>Void receipt</translation>
    </message>
    <message>
        <source>税务渠道缴费以税务凭证为准，本中心没有收据可补打。</source>
        <translation>A tax-channel payment is evidenced by its tax voucher; this centre has no receipt to reprint.</translation>
    </message>
    <message>
        <source>选择税务部门的缴费清单</source>
        <translation>Choose the tax authority's list of payments</translation>
    </message>
    <message>
        <source>缴费清单 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Lists of payments (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>正在核对税务缴费清单……</source>
        <translation>Matching the tax list…</translation>
    </message>
    <message>
        <source>无法核对税务缴费清单</source>
        <translation>The tax list could not be matched</translation>
    </message>
    <message>
        <source>%1 缴费登记</source>
        <translation>Payments on %1</translation>
    </message>
    <message>
        <source>共 %1 笔（作废 %2 笔），个人缴纳合计 %3 元，其中柜台收取 %4 元待解缴；F5 刷新。</source>
        <translation>%1 payments (%2 voided), personal contributions total ¥%3, of which ¥%4 taken at the desk to remit. F5 to refresh.</translation>
    </message>
    <message>
        <source>读取出错：</source>
        <translation>Error while loading: </translation>
    </message>
</context>
<context>
    <name>PeopleColumns</name>
    <message>
        <source>参保中</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <source>暂停</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>已终止</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>村（居）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>参保险种</source>
        <translation>Schemes</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relationship to head</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>档次/基数（元）</source>
        <translation>Tier / base (¥)</translation>
    </message>
    <message>
        <source>参保日期</source>
        <translation>Enrolled on</translation>
    </message>
    <message>
        <source>已查验材料</source>
        <translation>Documents seen</translation>
    </message>
    <message>
        <source>收据号/凭证号</source>
        <translation>Receipt / voucher no.</translation>
    </message>
    <message>
        <source>所属期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>%1～%2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (¥)</translation>
    </message>
    <message>
        <source>个人缴纳（元）</source>
        <translation>Personal share (¥)</translation>
    </message>
    <message>
        <source>缴费日期</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>变更内容</source>
        <translation>Fields changed</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PersonFields</name>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>18位号码，末位可为X</source>
        <translation>18 digits; the last may be X</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>发证地（户籍县区）</source>
        <translation>Issued in (hukou county)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>与身份证一致；少数民族姓名用“·”分隔</source>
        <translation>As on the ID card; separate the parts of ethnic-minority names with “·”</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>手机号或带区号的固定电话</source>
        <translation>Mobile, or landline with area code</translation>
    </message>
    <message>
        <source>户口性质</source>
        <translation>Hukou type</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(Select)</translation>
    </message>
    <message>
        <source>户籍详细地址</source>
        <translation>Hukou address</translation>
    </message>
    <message>
        <source>选择村（居）后补充组、门牌号</source>
        <translation>Choose the village first, then add the group and house number</translation>
    </message>
    <message>
        <source>居住地址</source>
        <translation>Residential address</translation>
    </message>
    <message>
        <source>与户籍地址相同可不填</source>
        <translation>Leave blank if same as the hukou address</translation>
    </message>
    <message>
        <source>就业类别</source>
        <translation>Employment type</translation>
    </message>
    <message>
        <source>特殊群体：</source>
        <translation>Special group: </translation>
    </message>
    <message>
        <source>待遇领取银行卡号</source>
        <translation>Bank card for benefits</translation>
    </message>
    <message>
        <source>本人银行卡或社保卡金融账户</source>
        <translation>Own bank card, or the social security card's bank account</translation>
    </message>
    <message>
        <source>发证地</source>
        <translation>Issued in</translation>
    </message>
    <message>
        <source>户籍地</source>
        <translation>Hukou location</translation>
    </message>
    <message>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>特殊群体</source>
        <translation>Special groups</translation>
    </message>
    <message>
        <source>银行卡号</source>
        <translation>Bank card no.</translation>
    </message>
    <message>
        <source>已输入{n}位，共18位</source>
        <translation>{n} of 18 digits entered</translation>
    </message>
    <message>
        <source>旧版15位号码，已换算为18位：{number}</source>
        <translation>Old 15-digit number, converted to 18 digits: {number}</translation>
    </message>
    <message>
        <source>{y}年{m}月{d}日</source>
        <translation>{y}-{m}-{d}</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>{n}岁</source>
        <translation>{n} years</translation>
    </message>
</context>
<context>
    <name>PersonView</name>
    <message>
        <source>返回查找（Esc）</source>
        <translation>Back to search (Esc)</translation>
    </message>
    <message>
        <source>修改信息（Ctrl+E）</source>
        <translation>Edit details (Ctrl+E)</translation>
    </message>
    <message>
        <source>登记缴费（Ctrl+J）</source>
        <translation>Record payment (Ctrl+J)</translation>
    </message>
    <message>
        <source>登记税务渠道缴费（Ctrl+Shift+J）</source>
        <translation>Tax-channel payment (Ctrl+Shift+J)</translation>
    </message>
    <message>
        <source>打印登记表（Ctrl+P）</source>
        <translation>Print form (Ctrl+P)</translation>
    </message>
    <message>
        <source>记录参保状态（Ctrl+Shift+G）</source>
        <translation>Record coverage status (Ctrl+Shift+G)</translation>
    </message>
    <message>
        <source>：</source>
        <translation>:</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Coverage status</translation>
    </message>
    <message>
        <source>家庭成员</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>参保情况</source>
        <translation>Enrolments</translation>
    </message>
    <message>
        <source>缴费记录</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>作废所选收据（Ctrl+Shift+V）</source>
        <translation>Void selected receipt (Ctrl+Shift+V)</translation>
    </message>
    <message>
        <source>变更历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期（年龄）</source>
        <translation>Date of birth (age)</translation>
    </message>
    <message>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>户口性质</source>
        <translation>Hukou type</translation>
    </message>
    <message>
        <source>户籍地址</source>
        <translation>Hukou address</translation>
    </message>
    <message>
        <source>居住地址</source>
        <translation>Residential address</translation>
    </message>
    <message>
        <source>就业类别</source>
        <translation>Employment type</translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>特殊群体</source>
        <translation>Special groups</translation>
    </message>
    <message>
        <source>参保险种</source>
        <translation>Schemes</translation>
    </message>
    <message>
        <source>未参保</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>已过期</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>管理中心</source>
        <translation>Managing centre</translation>
    </message>
    <message>
        <source>由服务中心 {centre} 管理；本中心修改须先申请转入。</source>
        <translation>Managed by centre {centre}; request a transfer before changing the record here.</translation>
    </message>
</context>
<context>
    <name>PlatformLinkDialog</name>
    <message>
        <source>关联平台从业人员：%1</source>
        <translation>Link a platform worker: %1</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>已在前台登记的人员</source>
        <translation>a person registered at the front desk</translation>
    </message>
    <message>
        <source>保障起始日期</source>
        <translation>Covered from</translation>
    </message>
    <message>
        <source>新就业形态人员职业伤害保障：由平台按单缴费，个人不缴费，不以劳动关系为前提。</source>
        <translation>Occupational injury protection for new forms of employment: the platform pays per order, the worker pays nothing, no labour relationship is needed.</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>打印预览 — %1</source>
        <translation>Print preview — %1</translation>
    </message>
    <message>
        <source>注意：没有任何已安装字体含有 %1，这些字印为 [U+编码]，需手写补正；或请管理员指定含这些字的字体后重新打印。</source>
        <translation>Note: no installed font contains %1. These characters print as [U+code] and must be corrected by hand; or ask an administrator to set a font that has them, then print again.</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>共 %1 页</source>
        <translation>%1 page(s)</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>缺字</source>
        <translation>Missing characters</translation>
    </message>
    <message>
        <source>仍要继续吗？</source>
        <translation>Continue anyway?</translation>
    </message>
    <message>
        <source>打印失败</source>
        <translation>Printing failed</translation>
    </message>
    <message>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Saving failed</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在生成 %1 的收据…</source>
        <translation>Preparing the receipts of %1…</translation>
    </message>
</context>
<context>
    <name>ReceiptPreviewDialog</name>
    <message>
        <source>这是收据原件，只出具一次：打印或保存之后，再打印的都是副本。</source>
        <translation>This is the receipt's original, issued once: once it is printed or saved, every later print is a copy.</translation>
    </message>
    <message>
        <source>副本：原件已经出具。每次打印或保存副本都记入审计日志。</source>
        <translation>Copy (副本): the original has been issued. Every copy printed or saved is written to the audit trail.</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinterBox</name>
    <message>
        <source>本机收据打印机</source>
        <translation>This desk's receipt printer</translation>
    </message>
    <message>
        <source>卷纸打印机端口</source>
        <translation>Roll printer port</translation>
    </message>
    <message>
        <source>例如 COM3、/dev/ttyUSB0、/dev/usb/lp0</source>
        <translation>for example COM3, /dev/ttyUSB0, /dev/usb/lp0</translation>
    </message>
    <message>
        <source>填写 80 毫米 ESC/POS 卷纸打印机的串口或设备文件，收据按 Ctrl+P 直接打印到它；留空则打印到系统默认打印机（A5 收据按中心设置放在纸上）。</source>
        <translation>The serial port or device file of an 80 mm ESC/POS roll printer: Ctrl+P prints receipts straight to it. Leave it empty to print on the system's default printer (A5 receipts placed on the paper as the centre sets).</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>用恢复密钥登录</source>
        <translation>Log in with the recovery key</translation>
    </message>
    <message>
        <source>管理员忘记密码时，用设置服务中心时打印的恢复密钥打开数据，并设定新密码。该管理员会得到新的签名密钥；其他操作员的密码可随后在“操作员”页面重置。</source>
        <translation>An administrator who forgot their password opens the data with the recovery key printed at setup and sets a new password. They get a new signing key; other operators' passwords can then be reset on the Operators page.</translation>
    </message>
    <message>
        <source>恢复密钥</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>管理员用户名</source>
        <translation>Administrator's username</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>新密钥指纹</source>
        <translation>New key fingerprint</translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>恢复并登录</source>
        <translation>Recover and log in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请输入恢复密钥（设置时打印的那一串字母和数字）。</source>
        <translation>Enter the recovery key (the letters and digits printed at setup).</translation>
    </message>
    <message>
        <source>请填写管理员的用户名。</source>
        <translation>Enter the administrator's username.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致，请重新输入。</source>
        <translation>The two new passwords differ; type them again.</translation>
    </message>
    <message>
        <source>密码至少8个字符，不能全是同一个字符，也不能与用户名相同。</source>
        <translation>A password has at least 8 characters, not all the same, and is not the username.</translation>
    </message>
    <message>
        <source>已记下，继续</source>
        <translation>Noted, continue</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>恢复密钥</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>忘记所有管理员密码时，只有恢复密钥能打开数据。它只显示这一次：请打印或抄写在纸上，与电脑分开妥善保管。</source>
        <translation>If every administrator password is forgotten, only the recovery key can open the data. It is shown only this once: print it or write it on paper, and keep it safe, away from the computer.</translation>
    </message>
    <message>
        <source>打印恢复密钥…</source>
        <translation>Print recovery key…</translation>
    </message>
    <message>
        <source>打印恢复密钥</source>
        <translation>Print recovery key</translation>
    </message>
    <message>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>复制恢复密钥</source>
        <translation>Copy recovery key</translation>
    </message>
    <message>
        <source>我已抄写或打印恢复密钥，并已妥善保管（&amp;W）</source>
        <translation>I have &amp;written down or printed the recovery key and stored it safely</translation>
    </message>
    <message>
        <source>我已抄写恢复密钥</source>
        <translation>I have written down the recovery key</translation>
    </message>
    <message>
        <source>社保经办 恢复密钥</source>
        <translation>Caseworker recovery key</translation>
    </message>
    <message>
        <source>请与电脑分开妥善保管。</source>
        <translation>Keep it safe, away from the computer.</translation>
    </message>
</context>
<context>
    <name>RegionCascade</name>
    <message>
        <source>户籍地 省</source>
        <translation>Hukou province</translation>
    </message>
    <message>
        <source>省</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>户籍地 市</source>
        <translation>Hukou city</translation>
    </message>
    <message>
        <source>市</source>
        <translation>City</translation>
    </message>
    <message>
        <source>户籍地 县（区）</source>
        <translation>Hukou county (district)</translation>
    </message>
    <message>
        <source>县（区）</source>
        <translation>County (district)</translation>
    </message>
    <message>
        <source>户籍地 乡镇（街道）</source>
        <translation>Hukou township (subdistrict)</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>户籍地 村（居）委会</source>
        <translation>Hukou village (residents) committee</translation>
    </message>
    <message>
        <source>村（居）委会</source>
        <translation>Village (residents) committee</translation>
    </message>
    <message>
        <source>户籍地 村（居）代码或名称</source>
        <translation>Hukou village or community: code or name</translation>
    </message>
    <message>
        <source>村（居）代码或名称</source>
        <translation>Village code or name</translation>
    </message>
    <message>
        <source>快速选择</source>
        <translation>Quick pick</translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation>(Select)</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(None)</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>村（居）委会</source>
        <translation>Village (residents) committee</translation>
    </message>
    <message>
        <source>空白表（不预填人员）</source>
        <translation>Blank sheet (no people filled in)</translation>
    </message>
    <message>
        <source>空白表</source>
        <translation>Blank sheet</translation>
    </message>
    <message>
        <source>生成入户调查表</source>
        <translation>Make household survey sheets</translation>
    </message>
    <message>
        <source>全民参保登记入户调查表</source>
        <translation>Household survey sheet (registration for all)</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>收缴日报表</source>
        <translation>Daily collection report</translation>
    </message>
    <message>
        <source>参保覆盖情况(&amp;C)</source>
        <translation>&amp;Coverage picture</translation>
    </message>
    <message>
        <source>调查表与日报表(&amp;P)</source>
        <translation>Survey sheets and day &amp;papers</translation>
    </message>
    <message>
        <source>导出 Excel(&amp;E)</source>
        <translation>&amp;Export to Excel</translation>
    </message>
    <message>
        <source>正在生成入户调查表…</source>
        <translation>Preparing household survey sheets…</translation>
    </message>
</context>
<context>
    <name>ReturnedPanel</name>
    <message>
        <source>退回待更正</source>
        <translation>Sent back for correction</translation>
    </message>
    <message>
        <source>%1 · %2 — 意见：%3（%4 退回）</source>
        <translation>%1 · %2 — comment: %3 (sent back by %4)</translation>
    </message>
    <message>
        <source>回车打开该人员进行更正</source>
        <translation>Press Enter to open the person and correct it</translation>
    </message>
    <message>
        <source>审核员退回 %1 条记录，请打开更正（回车打开，Alt+T 到此列表）(&amp;T)</source>
        <translation>A supervisor sent back %1 record(s): open and correct them (Enter opens; Alt+T comes to this lis&amp;t)</translation>
    </message>
</context>
<context>
    <name>ReviewColumns</name>
    <message>
        <source>新增人员</source>
        <translation>New person</translation>
    </message>
    <message>
        <source>人员变更</source>
        <translation>Person changed</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <source>参保变更</source>
        <translation>Enrolment changed</translation>
    </message>
    <message>
        <source>缴费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>新增单位</source>
        <translation>New employer</translation>
    </message>
    <message>
        <source>单位变更</source>
        <translation>Employer changed</translation>
    </message>
    <message>
        <source>新增家庭户</source>
        <translation>New household</translation>
    </message>
    <message>
        <source>家庭户变更</source>
        <translation>Household changed</translation>
    </message>
    <message>
        <source>入户调查</source>
        <translation>Household survey</translation>
    </message>
    <message>
        <source>调查变更</source>
        <translation>Survey changed</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Coverage status</translation>
    </message>
    <message>
        <source>参保状态变更</source>
        <translation>Coverage status change</translation>
    </message>
    <message>
        <source>增员</source>
        <translation>Employee added</translation>
    </message>
    <message>
        <source>减员或基数变更</source>
        <translation>Employee removed or base changed</translation>
    </message>
    <message>
        <source>待审核</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>已退回</source>
        <translation>Sent back</translation>
    </message>
    <message>
        <source>已更正，待审核</source>
        <translation>Corrected, to review</translation>
    </message>
    <message>
        <source>已上传</source>
        <translation>Uploaded</translation>
    </message>
    <message>
        <source>¥%1</source>
        <translation>¥%1</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Whom</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>未日结</source>
        <translation>Not closed</translation>
    </message>
    <message>
        <source>已日结（%1 %2）</source>
        <translation>Closed (%1 %2)</translation>
    </message>
    <message>
        <source>收款人</source>
        <translation>Collector</translation>
    </message>
    <message>
        <source>收据</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>作废笔数</source>
        <translation>Voids</translation>
    </message>
    <message>
        <source>应收现金（元）</source>
        <translation>Expected cash (yuan)</translation>
    </message>
    <message>
        <source>实点现金（元）</source>
        <translation>Cash counted (yuan)</translation>
    </message>
    <message>
        <source>差额（元）</source>
        <translation>Difference (yuan)</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>审核与日结仅限审核员和管理员使用。</source>
        <translation>Review and daily close are for supervisors and administrators only.</translation>
    </message>
    <message>
        <source>业务日期</source>
        <translation>Business date</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>全部经办人</source>
        <translation>All operators</translation>
    </message>
    <message>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>经办人(&amp;O)</source>
        <translation>&amp;Operator</translation>
    </message>
    <message>
        <source>审核记录</source>
        <translation>Changes to review</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Daily close</translation>
    </message>
    <message>
        <source>当日变更</source>
        <translation>The day's changes</translation>
    </message>
    <message>
        <source>通过所选 (Ctrl+Shift+A)</source>
        <translation>Approve selected (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>选中全部待审</source>
        <translation>Select all to review</translation>
    </message>
    <message>
        <source>退回意见</source>
        <translation>Comment for the clerk</translation>
    </message>
    <message>
        <source>退回意见（退回时必填）</source>
        <translation>Comment for the clerk (required to send back)</translation>
    </message>
    <message>
        <source>退回所选 (Ctrl+Shift+B)</source>
        <translation>Send back selected (Ctrl+Shift+B)</translation>
    </message>
    <message>
        <source>意见(&amp;M)</source>
        <translation>Co&amp;mment</translation>
    </message>
    <message>
        <source>各收款人当日收款</source>
        <translation>Each collector's takings of the day</translation>
    </message>
    <message>
        <source>日结… (Ctrl+Shift+J)</source>
        <translation>Close day… (Ctrl+Shift+J)</translation>
    </message>
    <message>
        <source>撤销日结原因</source>
        <translation>Reason to reopen the day</translation>
    </message>
    <message>
        <source>撤销原因（撤销时必填）</source>
        <translation>Reason (required to reopen)</translation>
    </message>
    <message>
        <source>撤销日结</source>
        <translation>Reopen day</translation>
    </message>
    <message>
        <source>日报表</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>共 %1 条变更，待审 %2 条。</source>
        <translation>%1 changes, %2 to review.</translation>
    </message>
    <message>
        <source>请先选中待审核的记录。</source>
        <translation>Select the changes to approve first.</translation>
    </message>
    <message>
        <source>已通过 %1 条。</source>
        <translation>%1 approved.</translation>
    </message>
    <message>
        <source>请选中一条要退回的记录。</source>
        <translation>Select one change to send back.</translation>
    </message>
    <message>
        <source>已退回给%1：%2</source>
        <translation>Sent back to %1: %2</translation>
    </message>
    <message>
        <source>当日没有需要日结的收款人。</source>
        <translation>Nobody took payments on this day; there is nothing to close.</translation>
    </message>
    <message>
        <source>%1 的当日已日结；如需更正，请先写明原因撤销日结。</source>
        <translation>%1's day is already closed; to correct it, reopen it with a reason first.</translation>
    </message>
    <message>
        <source>%1 的 %2 已日结。</source>
        <translation>%1's %2 is closed.</translation>
    </message>
    <message>
        <source>请选中一个已日结的收款人。</source>
        <translation>Select a collector whose day is closed.</translation>
    </message>
    <message>
        <source>已撤销日结。</source>
        <translation>The day is reopened.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>经办员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>审核员</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>RosterColumns</name>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>RostersPage</name>
    <message>
        <source>名册导入</source>
        <translation>Roster import</translation>
    </message>
    <message>
        <source>村（居）委会的户籍花名册导入登记库：先试导入检查每一行，再导入。有未通过的行时整个文件都不导入（除非选择只导入正确的行）。</source>
        <translation>A village committee's household roster into the registry: a dry run checks every row first, then import. If any row fails, nothing of the file is imported (unless you choose to import the valid rows only).</translation>
    </message>
    <message>
        <source>选择名册文件…</source>
        <translation>Choose a roster file…</translation>
    </message>
    <message>
        <source>下载名册模板…</source>
        <translation>Save the roster template…</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none chosen)</translation>
    </message>
    <message>
        <source>核对列对应…</source>
        <translation>Check the columns…</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>表头行</source>
        <translation>Heading row</translation>
    </message>
    <message>
        <source>对应的列</source>
        <translation>Columns</translation>
    </message>
    <message>
        <source>估计行数</source>
        <translation>Rows (estimate)</translation>
    </message>
    <message>
        <source>这份名册的村（居）委会</source>
        <translation>The village of this roster</translation>
    </message>
    <message>
        <source>请选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>村（居）委会</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>只导入正确的行</source>
        <translation>Import the valid rows only</translation>
    </message>
    <message>
        <source>不选：有一行未通过，整个文件都不导入。选中：导入正确的行，未通过的行列在报告里。</source>
        <translation>Unticked: if one row fails, nothing of the file is imported. Ticked: the valid rows are imported and the failed ones are listed in the report.</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>报告另存为</source>
        <translation>Save the report as</translation>
    </message>
    <message>
        <source>导入报告</source>
        <translation>Import report</translation>
    </message>
    <message>
        <source>试导入（只检查）</source>
        <translation>Dry run (check only)</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>导入进度</source>
        <translation>Import progress</translation>
    </message>
    <message>
        <source>村（居）户籍名册</source>
        <translation>Village household roster</translation>
    </message>
    <message>
        <source>民政特殊群体名单</source>
        <translation>Civil affairs' special-group lists</translation>
    </message>
    <message>
        <source>民政部门的低保、特困、残疾等名单：按身份证号标记登记库中的人员。</source>
        <translation>Civil affairs' lists (minimum living allowance, extreme poverty, disability …): the people in the registry are marked by ID number.</translation>
    </message>
    <message>
        <source>导入名单…</source>
        <translation>Import a list…</translation>
    </message>
    <message>
        <source>导入民政特殊群体名单</source>
        <translation>Import a civil affairs special-group list</translation>
    </message>
    <message>
        <source>未通过的行</source>
        <translation>Rows that failed</translation>
    </message>
    <message>
        <source>打开报告</source>
        <translation>Open the report</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>选择村（居）户籍名册</source>
        <translation>Choose a village household roster</translation>
    </message>
    <message>
        <source>名册 (*.xlsx *.csv);;旧版 Excel/WPS 表格 (*.xls *.et);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.csv);;Old Excel/WPS sheets (*.xls *.et);;All files (*)</translation>
    </message>
    <message>
        <source>正在读取名册……</source>
        <translation>Reading the roster…</translation>
    </message>
    <message>
        <source>第 %1 行（数据从第 %2 行起）</source>
        <translation>Row %1 (data from row %2)</translation>
    </message>
    <message>
        <source>约 %1 行</source>
        <translation>about %1 rows</translation>
    </message>
    <message>
        <source>未知（CSV 文件读完才知道）</source>
        <translation>unknown (a CSV file's length is known once it is read)</translation>
    </message>
    <message>
        <source>%1 ← 第 %2 列“%3”</source>
        <translation>%1 ← column %2 “%3”</translation>
    </message>
    <message>
        <source>不导入：%1</source>
        <translation>Not imported: %1</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>（没有）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>还没有列对应：%1。请点“核对列对应…”指定。</source>
        <translation>No column for: %1. Use “Check the columns…” to choose one.</translation>
    </message>
    <message>
        <source>名册中没有村（居）委会列：请选择这份名册的人所在的村（居）委会。</source>
        <translation>The roster has no village column: choose the village of the people in it.</translation>
    </message>
    <message>
        <source>名册中的新登记人员都登记在所选的村（居）委会。</source>
        <translation>People new to the registry are registered in the chosen village.</translation>
    </message>
    <message>
        <source>导入报告保存到</source>
        <translation>Save the import report to</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>正在检查名册……</source>
        <translation>Checking the roster…</translation>
    </message>
    <message>
        <source>正在导入名册……</source>
        <translation>Importing the roster…</translation>
    </message>
    <message>
        <source>正在取消……</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已处理 %1 行，共约 %2 行</source>
        <translation>%1 of about %2 rows done</translation>
    </message>
    <message>
        <source>已处理 %1 行</source>
        <translation>%1 rows done</translation>
    </message>
    <message>
        <source>已取消，名册没有导入。</source>
        <translation>Cancelled: nothing of the roster was imported.</translation>
    </message>
    <message>
        <source>名册 %1（工作表“%2”）共 %3 行：新增 %4，更新 %5，无变化 %6，未通过 %7；新建家庭户 %8。</source>
        <translation>Roster %1 (sheet “%2”), %3 rows: %4 new, %5 updated, %6 unchanged, %7 failed; %8 new households.</translation>
    </message>
    <message>
        <source>名册 %1（工作表“%2”）共 %3 行，检查结果（均未写入）：可新增 %4，可更新 %5，无变化 %6，未通过 %7；将新建家庭户 %8。</source>
        <translation>Roster %1 (sheet “%2”), %3 rows checked, nothing written: %4 would be new, %5 updated, %6 unchanged, %7 failed; %8 households would be created.</translation>
    </message>
    <message>
        <source>已导入登记库。</source>
        <translation>Imported into the registry.</translation>
    </message>
    <message>
        <source>未通过的 %1 行没有导入，见报告。</source>
        <translation> The %1 rows that failed were not imported; see the report.</translation>
    </message>
    <message>
        <source>前 %1 个问题（全部问题见导入报告）</source>
        <translation>Problems: the first %1 (the import report has them all)</translation>
    </message>
    <message>
        <source>出现了意外错误（%1），请联系技术支持。</source>
        <translation>Something unexpected went wrong (%1); please contact support.</translation>
    </message>
    <message>
        <source>名册模板保存到</source>
        <translation>Save the roster template to</translation>
    </message>
    <message>
        <source>户籍名册模板.xlsx</source>
        <translation>household-roster-template.xlsx</translation>
    </message>
    <message>
        <source>名册模板已保存到 %1。请按模板的表头填写，每人一行。</source>
        <translation>The roster template was saved to %1. Fill it in under its headings, one person a row.</translation>
    </message>
</context>
<context>
    <name>SchemeChooser</name>
    <message>
        <source>缴费档次</source>
        <translation>Contribution tier</translation>
    </message>
    <message>
        <source>月缴费基数</source>
        <translation>Monthly contribution base</translation>
    </message>
    <message>
        <source>月工资</source>
        <translation>Monthly wage</translation>
    </message>
    <message>
        <source> 元</source>
        <translation> yuan</translation>
    </message>
    <message>
        <source>填写有效的身份证号码后，列出可参加的险种和缴费标准。</source>
        <translation>Enter a valid ID number to list the schemes available and their contribution rates.</translation>
    </message>
    <message>
        <source>不能参加：</source>
        <translation>Not eligible: </translation>
    </message>
    <message>
        <source>（请选择档次）</source>
        <translation>(Select a tier)</translation>
    </message>
    <message>
        <source>{tier}元 — 政府补贴{subsidy}元，个人缴{own}元</source>
        <translation>¥{tier} — subsidy ¥{subsidy}, own payment ¥{own}</translation>
    </message>
    <message>
        <source>每年缴费，档次由本人选择</source>
        <translation>Paid yearly; the person chooses the tier</translation>
    </message>
    <message>
        <source>每年个人缴费{own}元，政府补贴{subsidy}元计入个人账户</source>
        <translation>Personal contribution ¥{own} a year; government subsidy of ¥{subsidy} goes into the individual account</translation>
    </message>
    <message>
        <source>（政府代缴{paid}元）</source>
        <translation> (¥{paid} paid by the government)</translation>
    </message>
    <message>
        <source>{year}年度个人缴费{own}元，财政补助{subsidy}元</source>
        <translation>{year}: personal contribution ¥{own}, government subsidy ¥{subsidy}</translation>
    </message>
    <message>
        <source>基数{low}–{high}元；每月缴费{monthly}元（{rate}%）</source>
        <translation>Base ¥{low}–{high}; monthly contribution ¥{monthly} ({rate}%)</translation>
    </message>
    <message>
        <source>个人每月{own}元，单位每月{employer}元</source>
        <translation>Employee ¥{own} a month, employer ¥{employer} a month</translation>
    </message>
    <message>
        <source>由用人单位按行业风险类别缴费，在单位页面办理</source>
        <translation>Paid by the employer according to the industry risk class; handle it on the employer's page</translation>
    </message>
    <message>
        <source>平台按单缴费，个人无需缴费</source>
        <translation>The platform pays per order; the worker pays nothing</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>查找人员</source>
        <translation>Find person</translation>
    </message>
    <message>
        <source>身份证号或后4–6位、姓名（任意部分）、拼音全拼或首字母、手机号（Ctrl+F）</source>
        <translation>ID number or its last 4–6 digits, any part of the name, pinyin or initials, mobile number (Ctrl+F)</translation>
    </message>
    <message>
        <source>新参保登记（Ctrl+N）</source>
        <translation>New enrolment (Ctrl+N)</translation>
    </message>
    <message>
        <source>为此身份证号新参保登记</source>
        <translation>New enrolment for this ID number</translation>
    </message>
    <message>
        <source>查找结果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>本地登记库中没有身份证号 %1 的人员。</source>
        <translation>No one with ID number %1 in the local register.</translation>
    </message>
    <message>
        <source>请至少输入4位数字（身份证号或手机号的末几位），或输入姓名、拼音。</source>
        <translation>Enter at least 4 digits (the end of an ID or mobile number), or a name or pinyin.</translation>
    </message>
    <message>
        <source>没有找到匹配的人员。</source>
        <translation>No matching person found.</translation>
    </message>
    <message numerus="yes">
        <source>找到超过 %n 人，请输入更多内容缩小范围。</source>
        <translation>
            <numerusform>More than %n match; type more to narrow the search.</numerusform>
            <numerusform>More than %n matches; type more to narrow the search.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>找到 %n 人，按 ↓ 选择，回车打开。</source>
        <translation>
            <numerusform>%n person found. Press ↓ to select, Enter to open.</numerusform>
            <numerusform>%n people found. Press ↓ to select, Enter to open.</numerusform>
        </translation>
    </message>
    <message>
        <source>查找出错：</source>
        <translation>Search error: </translation>
    </message>
</context>
<context>
    <name>ServiceDialog</name>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SettingEditor</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>（未指定）</source>
        <translation>(not set)</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>切换页面：今日、前台、单位、缴费、同步、报表、设置、审核、审计、操作员</source>
        <translation>Switch pages: today, front desk, employers, payments, sync, reports, settings, review, audit, operators</translation>
    </message>
    <message>
        <source>今日页面：打开第几项需要处理的事项</source>
        <translation>Today page: open the nth item that needs attention</translation>
    </message>
    <message>
        <source>工作清单（打开人员后按 Esc 回到原位置）</source>
        <translation>Worklists (Esc from a person returns to the same place)</translation>
    </message>
    <message>
        <source>名册导入（村居户籍名册、民政特殊群体名单）</source>
        <translation>Rosters (village household rosters, civil affairs' special-group lists)</translation>
    </message>
    <message>
        <source>查找人员</source>
        <translation>Find person</translation>
    </message>
    <message>
        <source>新参保登记</source>
        <translation>New enrolment</translation>
    </message>
    <message>
        <source>在查找结果中选择并打开人员</source>
        <translation>Select and open a person in the search results</translation>
    </message>
    <message>
        <source>修改人员信息</source>
        <translation>Edit a person's details</translation>
    </message>
    <message>
        <source>登记缴费</source>
        <translation>Record payment</translation>
    </message>
    <message>
        <source>打印登记表</source>
        <translation>Print enrolment form</translation>
    </message>
    <message>
        <source>缴费后：收据直接打印到本机收据打印机</source>
        <translation>After a payment: print the receipt straight to this desk's receipt printer</translation>
    </message>
    <message>
        <source>缴费后：预览收据，选择打印机</source>
        <translation>After a payment: preview the receipt, choose a printer</translation>
    </message>
    <message>
        <source>从人员页面返回查找</source>
        <translation>Back to search from the person page</translation>
    </message>
    <message>
        <source>保存（登记表、单位）</source>
        <translation>Save (enrolment form, employer)</translation>
    </message>
    <message>
        <source>登记用人单位</source>
        <translation>Register employer</translation>
    </message>
    <message>
        <source>为所选单位职工参保</source>
        <translation>Enrol an employee of the selected employer</translation>
    </message>
    <message>
        <source>刷新当前页面</source>
        <translation>Refresh the current page</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>文字大小</source>
        <translation>Text size</translation>
    </message>
    <message>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>大（125%）</source>
        <translation>Large (125%)</translation>
    </message>
    <message>
        <source>特大（150%）</source>
        <translation>Largest (150%)</translation>
    </message>
    <message>
        <source>界面</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>文字大小（仅本操作员）</source>
        <translation>Text size (this operator only)</translation>
    </message>
    <message>
        <source>键盘快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>找不到英文翻译文件 %1，界面仍显示中文。请运行 make translations 生成。
The English translation file %1 is missing, so the interface stays in Chinese. Build it with: make translations</source>
        <translation>The English translation file %1 is missing, so the interface stays in Chinese. Build it with: make translations</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>首次使用 — 设置服务中心</source>
        <translation>First use — set up the service centre</translation>
    </message>
    <message>
        <source>下一步 &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>&lt; 上一步</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>创建服务中心</source>
        <translation>Create service centre</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SpecialGroupColumns</name>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>群体</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>处理办法</source>
        <translation>What to do</translation>
    </message>
</context>
<context>
    <name>SpecialGroupDialog</name>
    <message>
        <source>导入民政特殊群体名单</source>
        <translation>Import a civil affairs special-group list</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none chosen)</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>选择名单文件</source>
        <translation>Choose the list file</translation>
    </message>
    <message>
        <source>群体</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>按名单中的类别列</source>
        <translation>From the list's category column</translation>
    </message>
    <message>
        <source>认定机关</source>
        <translation>Issuing office</translation>
    </message>
    <message>
        <source>名单中没有认定机关时填写，如 XX县民政局</source>
        <translation>When the list names none, e.g. XX县民政局</translation>
    </message>
    <message>
        <source>名单文件</source>
        <translation>List file</translation>
    </message>
    <message>
        <source>未标记的行</source>
        <translation>Rows not marked</translation>
    </message>
    <message>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>保存未匹配名单…</source>
        <translation>Save unmatched list…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>选择民政部门的特殊群体名单</source>
        <translation>Choose civil affairs' special-group list</translation>
    </message>
    <message>
        <source>名单 (*.xlsx *.csv);;所有文件 (*)</source>
        <translation>Lists (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>正在读取名单……</source>
        <translation>Reading the list…</translation>
    </message>
    <message>
        <source>名单 %1，共 %2 行：匹配 %3（标记 %4 人），未登记 %5，有问题 %6，姓名不符 %7，其他中心管理 %8，已过有效期 %9。</source>
        <translation>List %1, %2 rows: %3 matched (%4 people to mark), %5 not registered, %6 with problems, %7 names differ, %8 managed by another centre, %9 expired.</translation>
    </message>
    <message>
        <source>已导入：写入 %1 条认定记录，%2 人标记为特殊群体。</source>
        <translation>Imported: %1 memberships written, %2 people marked as in a special group.</translation>
    </message>
    <message>
        <source>保存未匹配名单</source>
        <translation>Save the unmatched list</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>未匹配名单已保存到 %1。</source>
        <translation>The unmatched list was saved to %1.</translation>
    </message>
</context>
<context>
    <name>SpotEnrolmentDialog</name>
    <message>
        <source>当场参保登记</source>
        <translation>Enrolment on the spot</translation>
    </message>
    <message>
        <source>关闭（Esc）</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>StoreBanner</name>
    <message>
        <source>暂停收费和参保登记：</source>
        <translation>Payments and enrolments are stopped: </translation>
    </message>
</context>
<context>
    <name>SyncFileButtons</name>
    <message>
        <source>导出批次文件(&amp;E)…</source>
        <translation>&amp;Export batch file…</translation>
    </message>
    <message>
        <source>导出批次文件</source>
        <translation>Export batch file</translation>
    </message>
    <message>
        <source>无网络时：把待上传的记录写成签名的批次文件</source>
        <translation>Without a network: write the records waiting to go up as a signed batch file</translation>
    </message>
    <message>
        <source>导入答复文件(&amp;I)…</source>
        <translation>&amp;Import answer file…</translation>
    </message>
    <message>
        <source>导入答复文件</source>
        <translation>Import answer file</translation>
    </message>
    <message>
        <source>县级导入批次文件后给出的答复文件</source>
        <translation>The answer file the county gives back after importing the batch file</translation>
    </message>
    <message>
        <source>批次文件 (*.json)</source>
        <translation>Batch files (*.json)</translation>
    </message>
    <message>
        <source>已写出 {n} 个批次到 {path}；请交县级导入后带回答复文件。</source>
        <translation>{n} batches written to {path}; take it to the county and bring back the answer file.</translation>
    </message>
    <message>
        <source>已采用 {n} 个批次的答复（{counts}）；退回批次 {refused}，未知批次 {unknown}。</source>
        <translation>Answers for {n} batches applied ({counts}); batches refused {refused}, unknown batches {unknown}.</translation>
    </message>
    <message>
        <source>未完成：{error}</source>
        <translation>Not done: {error}</translation>
    </message>
</context>
<context>
    <name>SyncView</name>
    <message>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>参保</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <source>缴费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>户</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>入户调查</source>
        <translation>Survey entry</translation>
    </message>
    <message>
        <source>同步概况</source>
        <translation>Sync overview</translation>
    </message>
    <message>
        <source>同步进度</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <source>立即同步(&amp;S)</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>取消(&amp;C)</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>取消同步</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>封装时间</source>
        <translation>Sealed at</translation>
    </message>
    <message>
        <source>记录数</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>待发送</source>
        <translation>To send</translation>
    </message>
    <message>
        <source>已答复</source>
        <translation>Answered</translation>
    </message>
    <message>
        <source>被拒收</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>尝试</source>
        <translation>Tries</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>待处理的退回与冲突</source>
        <translation>Returns and conflicts to resolve</translation>
    </message>
    <message>
        <source>修改后重新提交(&amp;R)</source>
        <translation>Edit and &amp;resubmit</translation>
    </message>
    <message>
        <source>采用县级记录(&amp;A)</source>
        <translation>&amp;Accept county record</translation>
    </message>
    <message>
        <source>不再处理的原因</source>
        <translation>Reason for dismissing</translation>
    </message>
    <message>
        <source>不再处理(&amp;D)</source>
        <translation>&amp;Dismiss</translation>
    </message>
    <message>
        <source>退回与冲突（审核员处理冲突）</source>
        <translation>Returns and conflicts (supervisors resolve conflicts)</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Coverage status</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>待上传 {pending} 条 · 已接收 {accepted} 条 · 待处理 {issues} 条 · 上次成功同步 {last}</source>
        <translation>{pending} waiting to upload · {accepted} accepted · {issues} to resolve · last successful sync {last}</translation>
    </message>
    <message>
        <source>本机尚未在县级服务器登记，可导出批次文件离线上报。</source>
        <translation>This computer is not yet registered with the county server; you can export batch files to report offline.</translation>
    </message>
    <message>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>没有待上传的记录</source>
        <translation>Nothing waiting to upload</translation>
    </message>
    <message>
        <source>同步完成：{counts}</source>
        <translation>Sync finished: {counts}</translation>
    </message>
    <message>
        <source>同步已取消；已封装的批次下次继续发送。</source>
        <translation>Sync cancelled; sealed batches will be sent next time.</translation>
    </message>
    <message>
        <source>同步未完成：{error}</source>
        <translation>Sync not finished: {error}</translation>
    </message>
    <message>
        <source>重复缴费，本机收据应作废：{detail}</source>
        <translation>Paid twice; void this computer's receipt: {detail}</translation>
    </message>
    <message>
        <source>已处理。</source>
        <translation>Resolved.</translation>
    </message>
    <message>
        <source>转入原因，如“已迁入本镇居住”</source>
        <translation>Why the person moves here, e.g. “now lives in this township”</translation>
    </message>
    <message>
        <source>转入原因</source>
        <translation>Reason for the transfer</translation>
    </message>
    <message>
        <source>申请转入(&amp;T)</source>
        <translation>Request &amp;transfer</translation>
    </message>
    <message>
        <source>申请转入</source>
        <translation>Request transfer</translation>
    </message>
    <message>
        <source>已在{centre}登记（{id_number} {name}）— 申请转入</source>
        <translation>Registered at {centre} ({id_number} {name}) — request a transfer</translation>
    </message>
    <message>
        <source>由{centre}管理，本中心不能修改；如已迁入，请申请转入</source>
        <translation>Managed by {centre}; this centre cannot change it. If the person moved here, request a transfer</translation>
    </message>
    <message>
        <source>请先写明转入原因。</source>
        <translation>Say first why the person moves here.</translation>
    </message>
    <message>
        <source>已申请转入，等待县级审批；批准后下次同步即由本中心管理。</source>
        <translation>Transfer requested; the county decides. Once approved, the next sync makes the person this centre's.</translation>
    </message>
    <message>
        <source>转入申请未送达：{error}</source>
        <translation>The transfer request was not delivered: {error}</translation>
    </message>
</context>
<context>
    <name>TaxListColumns</name>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>所属期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (¥)</translation>
    </message>
    <message>
        <source>税务凭证号</source>
        <translation>Tax voucher no.</translation>
    </message>
    <message>
        <source>本地记录</source>
        <translation>Record here</translation>
    </message>
    <message>
        <source>税务凭证 %1</source>
        <translation>Tax voucher %1</translation>
    </message>
    <message>
        <source>收据 %1</source>
        <translation>Receipt %1</translation>
    </message>
    <message>
        <source>缴费人</source>
        <translation>Payer</translation>
    </message>
    <message>
        <source>业务日期</source>
        <translation>Business date</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>TaxListMatchDialog</name>
    <message>
        <source>税务缴费清单核对结果</source>
        <translation>Tax list matched</translation>
    </message>
    <message>
        <source>清单 %1，%2 至 %3：相符 %4 笔，仅税务清单有 %5 笔，仅本地有 %6 笔，无法读取 %7 行。核对不改动任何缴费记录。</source>
        <translation>List %1, %2 to %3: %4 matched, %5 only in the tax list, %6 only here, %7 rows unreadable. Matching changes no payment.</translation>
    </message>
    <message>
        <source>相符（%1）</source>
        <translation>Matched (%1)</translation>
    </message>
    <message>
        <source>仅税务清单有（%1）</source>
        <translation>Only in the tax list (%1)</translation>
    </message>
    <message>
        <source>仅本地有（%1）</source>
        <translation>Only here (%1)</translation>
    </message>
    <message>
        <source>无法读取的行（%1）</source>
        <translation>Unreadable rows (%1)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TaxPaymentDialog</name>
    <message>
        <source>登记税务渠道缴费</source>
        <translation>Record a tax-channel payment</translation>
    </message>
    <message>
        <source>缴费人已通过税务渠道缴费：按完税（缴费）凭证登记，本中心不开收据。</source>
        <translation>The person paid through the tax authority's channels: record it from the tax voucher; this centre issues no receipt.</translation>
    </message>
    <message>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>缴费期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>缴费月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <source> 个月</source>
        <translation> months</translation>
    </message>
    <message>
        <source>缴费渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>凭证号</source>
        <translation>Voucher no.</translation>
    </message>
    <message>
        <source>完税凭证或缴费凭证上的号码</source>
        <translation>The number on the tax payment voucher</translation>
    </message>
    <message>
        <source>缴费日期</source>
        <translation>Date paid</translation>
    </message>
    <message>
        <source>凭证金额</source>
        <translation>Voucher amount</translation>
    </message>
    <message>
        <source>可不填；填写则与应缴金额核对</source>
        <translation>Optional; if given, checked against the amount due</translation>
    </message>
    <message>
        <source>应缴金额</source>
        <translation>Amount due</translation>
    </message>
    <message>
        <source>凭证金额（元）</source>
        <translation>Voucher amount (¥)</translation>
    </message>
    <message>
        <source>确认登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>正在读取参保信息……</source>
        <translation>Loading the person's schemes…</translation>
    </message>
    <message>
        <source>缴费人：{name}（{id}）</source>
        <translation>Payer: {name} ({id})</translation>
    </message>
    <message>
        <source>该人员没有有效的参保险种，请先办理参保登记。</source>
        <translation>This person has no active scheme; enrol them first.</translation>
    </message>
    <message>
        <source>¥{amount}（{start} 至 {end}）</source>
        <translation>¥{amount} ({start} to {end})</translation>
    </message>
    <message>
        <source>正在登记……</source>
        <translation>Recording…</translation>
    </message>
    <message>
        <source>已登记税务渠道缴费：凭证号 {number}，{amount} 元。</source>
        <translation>Tax-channel payment recorded: voucher {number}, ¥{amount}.</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>请按提示改正标红的项目。</source>
        <translation>Correct the fields marked in red.</translation>
    </message>
    <message>
        <source>操作失败：{error}</source>
        <translation>Failed: {error}</translation>
    </message>
</context>
<context>
    <name>TripPlanDialog</name>
    <message>
        <source>计划走访行程</source>
        <translation>Plan a field trip</translation>
    </message>
    <message>
        <source>行程名称</source>
        <translation>Trip name</translation>
    </message>
    <message>
        <source>如：11月第2周 青阳一村</source>
        <translation>e.g. November week 2, Qingyang village 1</translation>
    </message>
    <message>
        <source>走访的村（居）委会</source>
        <translation>Villages to visit</translation>
    </message>
    <message>
        <source>村（居）委会（空格键勾选）</source>
        <translation>Villages (Space ticks)</translation>
    </message>
    <message>
        <source>来自工作清单：{n}人所在的家庭户</source>
        <translation>From a worklist: the households of {n} people</translation>
    </message>
    <message>
        <source>走访对象</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>生成行程</source>
        <translation>Plan trip</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TripSummaryDialog</name>
    <message>
        <source>行程小结 — %1</source>
        <translation>Trip summary — %1</translation>
    </message>
    <message>
        <source>走访情况</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>已记录人员的参保状态（人）</source>
        <translation>Status of the people recorded (people)</translation>
    </message>
    <message>
        <source>打印小结（Ctrl+P）</source>
        <translation>Print summary (Ctrl+P)</translation>
    </message>
    <message>
        <source>打印小结</source>
        <translation>Print summary</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>计划走访户数</source>
        <translation>Households planned</translation>
    </message>
    <message>
        <source>在册人数</source>
        <translation>People on the lists</translation>
    </message>
    <message>
        <source>已记录人数</source>
        <translation>People recorded</translation>
    </message>
    <message>
        <source>新增（出生、迁入）</source>
        <translation>Added (born, moved in)</translation>
    </message>
    <message>
        <source>迁出</source>
        <translation>Moved away</translation>
    </message>
    <message>
        <source>死亡</source>
        <translation>Died</translation>
    </message>
    <message>
        <source>尚未覆盖人数</source>
        <translation>Not yet covered</translation>
    </message>
    <message>
        <source>当场参保</source>
        <translation>Enrol on the spot</translation>
    </message>
    <message>
        <source>当场缴费（笔）</source>
        <translation>Payments taken</translation>
    </message>
    <message>
        <source>收取金额（元）</source>
        <translation>Collected (yuan)</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>作废收据</source>
        <translation>Void receipt</translation>
    </message>
    <message>
        <source>作废原因</source>
        <translation>Reason for the void</translation>
    </message>
    <message>
        <source>如：档次录错，应为300元档</source>
        <translation>e.g. wrong tier, should be 300 yuan</translation>
    </message>
    <message>
        <source>审核员用户名</source>
        <translation>Supervisor's username</translation>
    </message>
    <message>
        <source>审核员密码</source>
        <translation>Supervisor's password</translation>
    </message>
    <message>
        <source>作废须由审核员在此输入自己的用户名和密码确认，作废记录由审核员签名；当前登录的操作员（%1）保持登录。收据号不会再次使用。</source>
        <translation>A supervisor confirms the void here with their own username and password, and the void is signed by the supervisor; the operator logged in (%1) stays logged in. The receipt number is never used again.</translation>
    </message>
    <message>
        <source>确认作废</source>
        <translation>Void it</translation>
    </message>
    <message>
        <source>打印作废凭证（Ctrl+P）</source>
        <translation>Print void slip (Ctrl+P)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>收据号：%1</source>
        <translation>Receipt number: %1</translation>
    </message>
    <message>
        <source>正在读取收据……</source>
        <translation>Reading the receipt…</translation>
    </message>
    <message>
        <source>该收据已于 %1 由 %2 作废（原因：%3），不能再次作废。</source>
        <translation>This receipt was voided on %1 by %2 (reason: %3); it cannot be voided again.</translation>
    </message>
    <message>
        <source>%1　%2　%3 至 %4　¥%5</source>
        <translation>%1  %2  %3 to %4  ¥%5</translation>
    </message>
    <message>
        <source>共 %1 行，个人实收合计 ¥%2；收款人 %3，%4</source>
        <translation>%1 line(s), ¥%2 paid in person; collected by %3, %4</translation>
    </message>
    <message>
        <source>正在核对审核员身份并作废……</source>
        <translation>Checking the supervisor and voiding…</translation>
    </message>
    <message>
        <source>收据 %1 已作废（%2 行，¥%3），审核员：%4。请打印作废凭证。</source>
        <translation>Receipt %1 is void (%2 line(s), ¥%3), supervisor: %4. Print the void slip.</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <source>操作失败：%1</source>
        <translation>Failed: %1</translation>
    </message>
</context>
<context>
    <name>WorklistColumns</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>村（居）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>列入原因</source>
        <translation>Reason listed</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
</context>
<context>
    <name>WorklistStrip</name>
    <message>
        <source>工作清单：</source>
        <translation>Worklists:</translation>
    </message>
</context>
<context>
    <name>WorklistsPage</name>
    <message>
        <source>工作清单</source>
        <translation>Worklists</translation>
    </message>
    <message>
        <source>村（居）</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>全部村（居）</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>保障项目</source>
        <translation>Insurance line</translation>
    </message>
    <message>
        <source>全部项目</source>
        <translation>All lines</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>全部原因</source>
        <translation>All reasons</translation>
    </message>
    <message>
        <source>未核实</source>
        <translation>Not yet verified</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filter</translation>
    </message>
    <message>
        <source>打开人员（Enter）</source>
        <translation>Open person (Enter)</translation>
    </message>
    <message>
        <source>打印清单</source>
        <translation>Print list</translation>
    </message>
    <message>
        <source>导出 Excel/CSV</source>
        <translation>Export Excel/CSV</translation>
    </message>
    <message>
        <source>完整身份证号</source>
        <translation>Full ID numbers</translation>
    </message>
    <message>
        <source>导出时写入完整身份证号</source>
        <translation>Write full ID numbers in the export</translation>
    </message>
    <message>
        <source>安排走访</source>
        <translation>Plan a trip</translation>
    </message>
    <message>
        <source>清单人员</source>
        <translation>People on the list</translation>
    </message>
    <message>
        <source>返回清单（Esc）</source>
        <translation>Back to the list (Esc)</translation>
    </message>
    <message>
        <source>返回清单</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <source>另按图表筛选：</source>
        <translation>Also filtered by the chart: </translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>%1 岁</source>
        <translation>age %1</translation>
    </message>
    <message>
        <source>共 %1 条，已显示 %2 条（向下滚动加载更多）。</source>
        <translation>%1 rows, %2 shown (scroll down for more).</translation>
    </message>
    <message>
        <source>共 %1 条，已全部显示。</source>
        <translation>%1 rows, all shown.</translation>
    </message>
    <message>
        <source>读取出错：</source>
        <translation>Could not load: </translation>
    </message>
    <message>
        <source>正在生成清单…</source>
        <translation>Building the list…</translation>
    </message>
    <message>
        <source>导出清单</source>
        <translation>Export list</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <source>已取消导出，未写入文件。</source>
        <translation>Export cancelled; nothing was written.</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 %1 条到 %2（已记入审计日志）</source>
        <translation>Exported %1 rows to %2 (recorded in the audit trail)</translation>
    </message>
</context>
</TS>