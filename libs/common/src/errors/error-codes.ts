/**
 * Every stable error code the platform returns, its HTTP status and its message in
 * Chinese (default) and English. Messages may carry {placeholders} filled from the error's params.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'The request has invalid fields' },
  MALFORMED_REQUEST: { status: 400, zh: '请求格式有误：{detail}', en: 'The request is malformed: {detail}' },
  BAD_REQUEST: { status: 400, zh: '请求无效', en: 'Bad request' },
  JSON_TOO_DEEP: { status: 400, zh: '请求内容嵌套层级过深（最多 {max} 层）', en: 'The request nests too deeply (at most {max} levels)' },
  MALFORMED_MULTIPART: {
    status: 400,
    zh: '文件上传格式有误（multipart 缺少分隔符或内容不完整），请重新上传',
    en: 'The upload is not well-formed multipart (no boundary, or truncated); upload again',
  },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误', en: 'Wrong phone number or password' },
  ACCOUNT_NOT_ACTIVATED: { status: 401, zh: '账号尚未激活，请联系学校', en: 'This account has not been activated; contact the school' },
  ACCOUNT_DISABLED: { status: 401, zh: '账号已停用', en: 'This account is disabled' },
  TOKEN_INVALID: { status: 401, zh: '登录凭证无效或已过期', en: 'The token is invalid or has expired' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    zh: '登录凭证已被使用过，为安全起见该会话已退出，请重新登录',
    en: 'This refresh token was already used; the session has been signed out for safety',
  },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  ADMIN_ROLE_REQUIRED: {
    status: 403,
    zh: '管理后台仅限学校和教育局工作人员使用',
    en: 'The admin API is for school and education bureau staff only',
  },
  WECHAT_NOT_CONFIGURED: { status: 404, zh: '本平台未开通微信登录', en: 'WeChat sign-in is not enabled on this platform' },
  WECHAT_CODE_INVALID: { status: 400, zh: '微信授权已失效，请重新进入页面', en: 'The WeChat authorization code is invalid or used; open the page again' },
  WECHAT_UNAVAILABLE: { status: 503, zh: '暂时无法连接微信，请稍后再试', en: 'WeChat cannot be reached right now; try again later' },
  WECHAT_NOT_BOUND: { status: 401, zh: '该微信尚未绑定账号，请先用手机验证码登录后绑定', en: 'This WeChat account is not linked yet; sign in with an SMS code, then link it' },
  WECHAT_ALREADY_BOUND: { status: 409, zh: '该微信已绑定其他账号', en: 'This WeChat account is already linked to another account' },
  IDENTITY_ALREADY_BOUND: { status: 409, zh: '您的账号已绑定微信，请先解绑', en: 'Your account is already linked to WeChat; unlink it first' },
  IDENTITY_NOT_FOUND: { status: 404, zh: '您的账号未绑定该微信', en: 'Your account is not linked to this WeChat identity' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在：{route}', en: 'No such route: {route}' },
  STUDENT_NOT_FOUND: { status: 404, zh: '找不到该学生', en: 'Student not found' },
  CLASS_NOT_FOUND: { status: 404, zh: '找不到该班级', en: 'Class not found' },
  SCHOOL_NOT_FOUND: { status: 404, zh: '找不到该学校', en: 'School not found' },
  DISTRICT_NOT_FOUND: { status: 404, zh: '找不到该区县', en: 'District not found' },
  USER_NOT_FOUND: { status: 404, zh: '找不到该用户', en: 'User not found' },
  SCHOOL_YEAR_NOT_FOUND: { status: 404, zh: '找不到该学年', en: 'School year not found' },
  IMPORT_NOT_FOUND: { status: 404, zh: '找不到该导入任务', en: 'Import not found' },
  ROLE_ASSIGNMENT_NOT_FOUND: { status: 404, zh: '找不到该任职记录', en: 'Role assignment not found' },
  CONVERSATION_NOT_FOUND: { status: 404, zh: '找不到该会话', en: 'Conversation not found' },
  MESSAGE_NOT_FOUND: { status: 404, zh: '找不到该消息', en: 'Message not found' },
  FILE_NOT_FOUND: { status: 404, zh: '找不到该文件', en: 'File not found' },
  STAFF_ONLY_CONVERSATION: { status: 403, zh: '本群已开启“只允许老师发言”', en: 'Only teachers may post in this group' },
  DIRECT_CHAT_NOT_ALLOWED: {
    status: 403,
    zh: '只能与孩子所在学校的老师，或所教学生的家长单独聊天',
    en: 'Direct chats are only between school staff and the families they serve',
  },
  NOTICE_SENDER_ONLY: { status: 403, zh: '只有老师可以发布通知', en: 'Only staff can post notices' },
  RECALL_WINDOW_PASSED: { status: 409, zh: '消息发出已超过 2 分钟，无法撤回', en: 'Messages can only be recalled within 2 minutes' },
  NOT_A_NOTICE: { status: 409, zh: '该消息不是需要回执的通知', en: 'This message is not a notice that asks for confirmation' },
  NOTICE_REMIND_TOO_SOON: {
    status: 429,
    zh: '每条通知每小时只能提醒一次，请 {minutes} 分钟后再试',
    en: 'A notice can be reminded once an hour; try again in {minutes} minutes',
  },
  FILE_TOO_LARGE: { status: 413, zh: '文件不能超过 {limit}', en: 'The file must not be larger than {limit}' },
  LECTURE_NOT_FOUND: { status: 404, zh: '找不到该讲座', en: 'Lecture not found' },
  LECTURE_NOT_OPEN: { status: 409, zh: '该讲座未开放报名', en: 'This lecture is not open for registration' },
  LECTURE_NOT_IN_AUDIENCE: { status: 403, zh: '该讲座不面向您孩子所在的学校或班级', en: 'This lecture is not open to your children’s school or class' },
  GUARDIAN_NOT_IN_AUDIENCE: { status: 409, zh: '该家长的孩子不在本讲座面向的范围内，不能记入学时', en: 'This guardian’s children are not in the lecture’s audience; no hours can be recorded' },
  REGISTRATION_CLOSED: { status: 409, zh: '报名已截止', en: 'Registration has closed' },
  REGISTRATION_NOT_FOUND: { status: 404, zh: '您没有报名该讲座', en: 'You are not registered for this lecture' },
  CHECKIN_TOKEN_INVALID: { status: 400, zh: '签到码无效，请重新扫描现场二维码', en: 'The check-in code is not valid; scan the code on screen again' },
  CHECKIN_TOKEN_EXPIRED: { status: 400, zh: '签到码已过期，请重新扫描现场二维码', en: 'The check-in code has expired; scan the code on screen again' },
  CHECKIN_NOT_OPEN: { status: 409, zh: '不在签到时间内（开始前 30 分钟至结束）', en: 'Check-in is open from 30 minutes before the start until the end' },
  CHECKOUT_NOT_OPEN: { status: 409, zh: '不在签退时间内（结束前 10 分钟至结束后 30 分钟）', en: 'Check-out is open from 10 minutes before the end until 30 minutes after' },
  NOT_CHECKED_IN: { status: 409, zh: '请先签到', en: 'Check in first' },
  // Attendance recorded without credit: returned as noCreditReason on a check-in or check-out (200), never thrown.
  ATTENDANCE_CHECKIN_TOO_LATE: {
    status: 409,
    zh: '签到晚于开始后 {minutes} 分钟，本次出勤已记录但不计学时',
    en: 'Checked in more than {minutes} minutes after the start: attendance is recorded without credit',
  },
  ATTENDANCE_PRESENCE_TOO_SHORT: {
    status: 409,
    zh: '签到至签退仅 {presentMinutes} 分钟，不足讲座时长的 {percent}%（{requiredMinutes} 分钟），本次出勤已记录但不计学时',
    en: 'Only {presentMinutes} minutes between check-in and check-out, under {percent}% of the session ({requiredMinutes} minutes): attendance is recorded without credit',
  },
  NOT_AN_OFFLINE_LECTURE: { status: 409, zh: '该讲座没有线下场地', en: 'This lecture has no venue' },
  LECTURE_NOT_STARTED: { status: 409, zh: '讲座尚未开始，请在开始后观看', en: 'The lecture has not started yet' },
  LECTURE_ENDED: { status: 409, zh: '讲座已结束，且没有回放', en: 'The lecture has ended and has no replay' },
  NOT_AN_ONLINE_LECTURE: { status: 409, zh: '该讲座没有线上直播或回放', en: 'This lecture is not online' },
  LECTURE_ROOM_NOT_OPEN: { status: 409, zh: '讲座发布后才开放答疑群，已取消的讲座没有答疑群', en: 'A lecture’s Q&A room opens when it is published; a cancelled lecture has none' },
  ARTICLE_NOT_FOUND: { status: 404, zh: '找不到该文章或资源', en: 'Article or resource not found' },
  MATERIAL_EXISTS: { status: 409, zh: '该文件已是本讲座的资料', en: 'This file is already a material of the lecture' },
  LECTURE_NOT_EDITABLE: { status: 409, zh: '已取消或已结束的讲座不能修改', en: 'A cancelled or finished lecture cannot be changed' },
  AUDIENCE_OUT_OF_SCOPE: { status: 403, zh: '讲座面向的范围超出了您的管理范围', en: 'The audience is outside the area you manage' },
  LEDGER_ENTRY_NOT_FOUND: { status: 404, zh: '找不到该学时记录', en: 'Ledger entry not found' },
  ALREADY_REVOKED: { status: 409, zh: '该学时已撤销', en: 'This credit was already revoked' },
  NOT_COMPLIANT: { status: 409, zh: '尚未完成 {required} 学时，暂不能生成结业证书', en: 'The {required} class-hours are not completed yet' },
  EXPORT_NOT_FOUND: { status: 404, zh: '找不到该导出任务', en: 'Export not found' },
  EXPORT_NOT_READY: { status: 409, zh: '导出尚未完成', en: 'The export is not finished yet' },
  PLAN_EXISTS: { status: 409, zh: '该学校本学年已有课程计划', en: 'The school already has a plan for this year' },
  PLAN_NOT_FOUND: { status: 404, zh: '找不到该课程计划', en: 'Course plan not found' },
  COMMITTEE_NOT_FOUND: { status: 404, zh: '找不到该家长委员会', en: 'Committee not found' },
  COMMITTEE_EXISTS: { status: 409, zh: '该范围本学年已有家长委员会', en: 'This scope already has a committee for the school year' },
  COMMITTEE_FULL: { status: 409, zh: '家长委员会人数已达上限（{max} 人）', en: 'The committee is full ({max} members)' },
  COMMITTEE_MEMBER_NOT_FOUND: { status: 404, zh: '找不到该家委会成员', en: 'Committee member not found' },
  NOT_A_GUARDIAN_IN_SCOPE: { status: 409, zh: '该家长的孩子不在本委员会的范围内', en: 'This guardian has no child in the committee’s scope' },
  NOT_A_CLASS_COMMITTEE_MEMBER: { status: 409, zh: '该家长不是本范围内班级家委会的成员', en: 'This guardian does not sit on a class committee in scope' },
  ELECTION_NOT_FOUND: { status: 404, zh: '找不到该选举', en: 'Election not found' },
  ELECTION_CLOSED: { status: 409, zh: '该选举已结束', en: 'This election is closed' },
  NOMINATION_CLOSED: { status: 409, zh: '不在提名时间内', en: 'Nominations are not open' },
  VOTING_CLOSED: { status: 409, zh: '不在投票时间内', en: 'Voting is not open' },
  NOMINATION_NOT_FOUND: { status: 404, zh: '找不到该提名', en: 'Nomination not found' },
  NOMINATION_EXISTS: { status: 409, zh: '该家长已被提名', en: 'This guardian is already nominated' },
  INVALID_BALLOT: { status: 400, zh: '选票无效：请选择 1 至 {seats} 名不重复的正式候选人', en: 'Invalid ballot: choose 1 to {seats} different accepted candidates' },
  ALREADY_VOTED: { status: 409, zh: '您家已投过票（每户一票）', en: 'Your household has already voted (one ballot per household)' },
  FUND_ENTRY_NOT_FOUND: { status: 404, zh: '找不到该班费记录', en: 'Fund entry not found' },
  FUND_ENTRY_ALREADY_REVERSED: { status: 409, zh: '该班费记录已冲正，不能重复冲正', en: 'This fund entry was already reversed' },
  FUND_REVERSAL_NOT_REVERSIBLE: { status: 409, zh: '冲正记录本身不能再冲正', en: 'A reversal cannot itself be reversed' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已被其他账号使用', en: 'This phone number belongs to another account' },
  CLASS_EXISTS: { status: 409, zh: '该学年已有同名班级', en: 'A class with this name already exists in that school year' },
  SCHOOL_EXISTS: { status: 409, zh: '已有同名学校', en: 'A school with this name already exists' },
  SCHOOL_NOTICE_NOT_FOUND: { status: 404, zh: '找不到该学校通知', en: 'School notice not found' },
  SCHOOL_NOTICE_AUDIENCE_INVALID: {
    status: 403,
    zh: '通知对象不在您的范围内：学校通知发给本校家长（可选年级、班级），区县和市教育局的通知发给所辖学校的总协调员',
    en: 'This audience is outside your scope: a school notifies its own families (optionally some grades or classes); a district or the city notifies the coordinators of its schools',
  },
  STUDENT_NAME_TAKEN: { status: 409, zh: '目标班级已有同名学生“{name}”', en: 'The target class already has a pupil called "{name}"' },
  STUDENT_ALREADY_LEFT: { status: 409, zh: '该学生已离校', en: 'This pupil has already left the school' },
  TRANSFER_NOT_ALLOWED: {
    status: 409,
    zh: '只能在同一学校、同一学年、未归档的班级之间分班',
    en: 'A pupil can only move to another class of the same school and school year that is not archived',
  },
  ROLLOVER_YEAR_INVALID: { status: 400, zh: '升级的目标学年必须紧接在当前学年之后', en: 'The rollover must go to the school year right after the one it leaves' },
  CLASS_ARCHIVED: { status: 409, zh: '该班级已毕业归档', en: 'This class has graduated and is archived' },
  SCHOOL_YEAR_EXISTS: { status: 409, zh: '该学年已存在', en: 'This school year already exists' },
  ROLE_ASSIGNMENT_EXISTS: { status: 409, zh: '该用户已有此任职', en: 'The user already holds this role' },
  ROLE_SCOPE_MISMATCH: {
    status: 400,
    zh: '角色 {role} 的范围必须是 {scopeType}',
    en: 'Role {role} must be scoped to a {scopeType}',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  FILE_REQUIRED: { status: 400, zh: '请上传文件', en: 'A file is required' },
  FILE_TYPE_UNSUPPORTED: {
    status: 415,
    zh: '只支持 Excel（.xlsx）或 CSV 文件',
    en: 'Only Excel (.xlsx) or CSV files are accepted',
  },
  FILE_UNREADABLE: { status: 400, zh: '文件无法读取：{detail}', en: 'The file cannot be read: {detail}' },
  SPREADSHEET_EXPANDS_TOO_MUCH: {
    status: 413,
    zh: '表格文件解压后过大或结构异常（{detail}），已拒绝；请另存为普通 Excel 文件后重试',
    en: 'The spreadsheet would expand too far or is malformed ({detail}); save it again as a plain Excel file',
  },
  TOO_MANY_LOGIN_ATTEMPTS: {
    status: 429,
    zh: '登录失败次数过多，请 {minutes} 分钟后再试',
    en: 'Too many failed logins; try again in {minutes} minutes',
  },
  SMS_CODE_INVALID: { status: 401, zh: '验证码错误或已失效，请重新获取', en: 'The code is wrong or no longer valid; request a new one' },
  SMS_CODE_TOO_SOON: { status: 429, zh: '验证码发送过于频繁，请 {seconds} 秒后再试', en: 'A code was sent recently; try again in {seconds} seconds' },
  SMS_CODE_DAILY_LIMIT: { status: 429, zh: '该手机号今日获取验证码次数已达上限，请明天再试', en: 'This phone has had too many codes today; try again tomorrow' },
  SMS_CODE_IP_LIMIT: { status: 429, zh: '当前网络获取验证码过于频繁，请 {minutes} 分钟后再试', en: 'Too many codes requested from this network; try again in {minutes} minutes' },
  SMS_CODE_REQUIRED: {
    status: 401,
    zh: '密码错误次数过多，为保护账号安全，请使用短信验证码登录',
    en: 'Too many wrong passwords; sign in with an SMS code to protect the account',
  },
  PASSWORD_CHANGE_REQUIRED: { status: 403, zh: '首次登录请先修改初始密码', en: 'Change the one-time password before going on' },
  CURRENT_PASSWORD_INCORRECT: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_UNCHANGED: { status: 400, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  CONSENT_REQUIRED: {
    status: 403,
    zh: '请先阅读并同意《隐私政策》（含儿童个人信息保护规则），才能查看孩子的信息',
    en: "Accept the privacy notice (including the rules on children's data) to see your children's information",
  },
  CONSENT_VERSION_OUTDATED: { status: 409, zh: '隐私政策已更新为 {version} 版，请阅读新版本后再同意', en: 'The privacy notice is now version {version}; read it before accepting' },
  CONSENT_NOT_GIVEN: { status: 409, zh: '您尚未同意隐私政策，无需撤回', en: 'There is no consent to withdraw' },
  JOIN_LINK_INVALID: { status: 404, zh: '班级邀请链接无效或已失效，请向班主任索取新的二维码', en: 'The class join link is not valid; ask the class teacher for a new one' },
  JOIN_STUDENT_NOT_FOUND: {
    status: 404,
    zh: '该班级没有名为“{name}”的学生，请核对孩子姓名，或联系班主任先把孩子加入班级名单',
    en: 'No pupil named "{name}" in this class; check the name or ask the class teacher to add the pupil first',
  },
  JOIN_STUDENT_AMBIGUOUS: { status: 409, zh: '班级中有多名学生叫“{name}”，请联系班主任办理', en: 'Several pupils in this class are called "{name}"; ask the class teacher' },
  ALREADY_GUARDIAN: { status: 409, zh: '您已是该学生的家长', en: 'You are already a guardian of this pupil' },
  JOIN_REQUEST_EXISTS: { status: 409, zh: '已有一个待班主任审核的申请', en: 'A request is already waiting for the class teacher' },
  JOIN_REQUEST_NOT_FOUND: { status: 404, zh: '找不到该入班申请', en: 'Join request not found' },
  JOIN_REQUEST_DECIDED: { status: 409, zh: '该申请已处理（{status}）', en: 'This request has already been decided ({status})' },
  JOIN_REQUEST_LIMIT: { status: 429, zh: '待审核的申请过多，请等待班主任处理后再提交', en: 'Too many requests are waiting; wait for the class teacher first' },
  JOIN_CLASS_BUSY: { status: 429, zh: '该班级申请过于频繁，请稍后再试', en: 'Too many requests for this class right now; try again later' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  INTERNAL_ERROR: {
    status: 500,
    zh: '服务器内部错误，请稍后再试（编号 {requestId}）',
    en: 'Internal server error; please try again later (reference {requestId})',
  },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用，请稍后重试', en: 'Service unavailable; try again shortly' },
  MODEL_SCHOOL_YEAR_NOT_FOUND: { status: 404, zh: '该年度尚未发布示范学校评估标准', en: 'No model-school criteria have been published for this year' },
  MODEL_SCHOOL_CRITERIA_LOCKED: { status: 409, zh: '该年度已有申报，评估标准不能再修改', en: 'Applications exist for this year; its criteria can no longer change' },
  MODEL_SCHOOL_WEIGHTS_INVALID: { status: 400, zh: '评估指标权重之和应为 100，自动指标须指定数据项', en: 'Indicator weights must add up to 100, and automatic indicators must name a metric' },
  MODEL_SCHOOL_APPLICATION_NOT_FOUND: { status: 404, zh: '找不到该示范学校申报', en: 'Model-school application not found' },
  MODEL_SCHOOL_APPLICATION_EXISTS: { status: 409, zh: '本校该年度已提交申报', en: 'The school has already applied for this year' },
  MODEL_SCHOOL_APPLICATION_STATE: { status: 409, zh: '申报当前状态（{status}）不允许此操作', en: 'The application is {status}; this step is not possible now' },
  MODEL_SCHOOL_COORDINATOR_ONLY: { status: 403, zh: '仅限本校家庭教育总协调员申报', en: "Only the school's coordinator may apply" },
  MODEL_SCHOOL_EXPERT_NOT_FOUND: { status: 404, zh: '该用户不是登记的评审专家', en: 'This user is not a registered model-school expert' },
  MODEL_SCHOOL_OWN_DISTRICT: { status: 409, zh: '评审专家不能评审本区县的学校', en: "An expert may not review a school of their own district" },
  MODEL_SCHOOL_REVIEW_NOT_FOUND: { status: 404, zh: '找不到该评审任务', en: 'Review assignment not found' },
  MODEL_SCHOOL_SCORES_INVALID: { status: 400, zh: '请为每个人工评审指标打分（0 至该指标分值）', en: 'Score every manual indicator, from 0 to its weight' },
  MODEL_SCHOOL_NOT_SCORED: { status: 409, zh: '该申报尚无专家评分，不能认定', en: 'The application has no expert score yet' },
  MODEL_SCHOOL_QUOTA_FULL: { status: 409, zh: '本年度示范学校名额（{quota} 所）已满', en: "This year's quota of {quota} model schools is full" },
  MODEL_SCHOOL_BELOW_PASS_MARK: {
    status: 409,
    zh: '该校总分 {score} 分，低于本年度认定合格线 {passMark} 分，不能认定为示范学校',
    en: 'The school scored {score}, below this year’s pass mark of {passMark}: it cannot be designated',
  },
  MODEL_SCHOOL_PASS_MARK_LOCKED: { status: 409, zh: '本年度已有学校获认定，合格线不能再修改', en: 'A school of this year is already designated: the pass mark can no longer change' },
  MODEL_SCHOOL_DESIGNATION_NOT_FOUND: { status: 404, zh: '找不到该示范学校认定', en: 'Designation not found' },
  MODEL_SCHOOL_ALREADY_REVOKED: { status: 409, zh: '该认定已撤销', en: 'This designation has already been revoked' },
  SUPPORT_SITE_NOT_FOUND: { status: 404, zh: '找不到该心理辅导室或成长导航站', en: 'Counselling room or growth station not found' },
  SURVEY_ALREADY_ANSWERED: { status: 409, zh: '本户已填写过该满意度调查', en: 'This household has already answered the survey' },
  CAMPAIGN_NOT_FOUND: { status: 404, zh: '找不到该活动', en: 'Campaign not found' },
  CAMPAIGN_NOT_OPEN: { status: 409, zh: '活动不在征集时间内', en: 'The campaign is not open for submissions' },
  CAMPAIGN_OUT_OF_SCOPE: { status: 403, zh: '该家庭不在本活动范围内', en: "The household is outside the campaign's scope" },
  CAMPAIGN_SUBMISSION_EXISTS: { status: 409, zh: '本户已提交过作品', en: 'This household has already submitted an entry' },
  CAMPAIGN_SUBMISSION_NOT_FOUND: { status: 404, zh: '找不到该作品', en: 'Submission not found' },
  CAMPAIGN_SUBMISSION_STATE: { status: 409, zh: '作品当前状态（{status}）不允许此操作', en: 'The submission is {status}; this step is not possible now' },
  CAMPAIGN_AWARD_INVALID: { status: 400, zh: '该活动不设此奖项', en: 'This campaign does not give that award' },
  MAILBOX_ITEM_NOT_FOUND: { status: 404, zh: '找不到该信件', en: 'Mailbox item not found' },
  MAILBOX_NOT_YOUR_SCHOOL: { status: 403, zh: '只能给孩子就读的学校写信', en: 'You can only write to a school your child attends' },
  MAILBOX_ALREADY_ANSWERED: { status: 409, zh: '该信件已答复', en: 'This item has already been answered' },
  MAILBOX_NOT_YOUR_LEVEL: { status: 403, zh: '该信件已逾期转交上级教育部门，由上级答复', en: 'This item is overdue and has moved up: the bureau above answers it now' },
  CAMPAIGN_NO_AWARD: { status: 404, zh: '该作品未获奖', en: 'This submission has no award' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export type Language = 'zh' | 'en';

/** Picks the language from an Accept-Language header: English when it prefers English, Chinese otherwise. */
export function languageFrom(acceptLanguage: string | string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    // q=0 means "not acceptable" (RFC 9110), not "least preferred".
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('zh')) return 'zh';
  }
  return 'zh';
}

export function renderMessage(code: ErrorCode, language: Language, params: Record<string, unknown> = {}): string {
  const template: string = ERROR_CATALOG[code][language];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
