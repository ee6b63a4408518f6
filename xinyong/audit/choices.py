from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # A department was created or its details changed.
    DEPARTMENT_SAVE = "department.save", _("保存部门")
    # A sharing rule between two departments was created or ended.
    SHARING_RULE_SAVE = "sharing_rule.save", _("保存共享规则")
    # A back-office or portal user was created or their role/department changed.
    USER_SAVE = "user.save", _("保存用户")
    # An API client token was issued (the token itself is never recorded).
    API_CLIENT_ISSUE = "api_client.issue", _("签发接口令牌")
    # An API client was disabled.
    API_CLIENT_REVOKE = "api_client.revoke", _("停用接口令牌")
    # A subject (organisation, individual business, person) was registered.
    SUBJECT_CREATE = "subject.create", _("登记主体")
    # A subject's basic information changed.
    SUBJECT_UPDATE = "subject.update", _("变更主体信息")
    # A subject's name changed; the old name goes to the name history.
    SUBJECT_RENAME = "subject.rename", _("主体更名")
    # Many subjects were loaded in one set-based operation (demo city, bulk import).
    SUBJECT_BULK_LOAD = "subject.bulk_load", _("批量登记主体")
    # A related person (legal representative, principal, controller) was recorded.
    RELATED_PERSON_ADD = "related_person.add", _("登记关联人")
    # A related person's role ended.
    RELATED_PERSON_END = "related_person.end", _("关联关系终止")
    # Non-public data was read: a person's identifier shown in clear.
    PERSON_IDENTIFIER_READ = "person.identifier_read", _("查看自然人身份证件号码")
    # Non-public data was read: related persons of a subject (with masked identifiers).
    RELATED_PERSONS_READ = "related_persons.read", _("查看关联人信息")
    # A department reported an organisation's code and name (kept even if invalid).
    REGISTRATION_REPORT = "registration.report", _("报送登记信息")
    # A code-defect scan was run and its findings stored.
    CODE_DEFECTS_SCAN = "code_defects.scan", _("重错码检查")
    # The catalog was synchronised with the YAML files shipped in the repository.
    CATALOG_SYNC = "catalog.sync", _("同步信用信息资源目录")
    # The platform operator revised a catalog item (a new version; old ones stay).
    CATALOG_ITEM_REVISE = "catalog.item_revise", _("修订目录项")
    # A department submitted a batch of records (API, upload or command).
    BATCH_SUBMIT = "batch.submit", _("提交报送批次")
    # A batch was validated, matched and its accepted rows applied to credit files.
    BATCH_APPLY = "batch.apply", _("入库报送批次")
    # A batch could not be processed (unreadable file, crash); nothing of it was applied.
    BATCH_FAIL = "batch.fail", _("报送批次处理失败")
    # A batch's row outcomes were read (batch page or API): source ids, errors with content.
    BATCH_READ = "batch.read", _("查看报送批次明细")
    # A batch's per-row report was downloaded (CSV).
    BATCH_REPORT_DOWNLOAD = "batch.report_download", _("下载批次处理报告")
    # An operator or the providing department's clerk queued a failed or stuck batch again.
    BATCH_RETRY = "batch.retry", _("重新处理报送批次")
    # The watch re-queued batches whose worker died (lease ran out), or failed them.
    BATCH_RECOVER = "batch.recover", _("恢复中断的报送批次")
    # Stored payloads past their retention were deleted; their batches cannot be re-processed.
    BATCH_PAYLOAD_PURGE = "batch.payload_purge", _("删除到期的批次原始文件")
    # Payloads stored in clear before sealing existed were encrypted in place.
    BATCH_PAYLOAD_SEAL = "batch.payload_seal", _("加密保存批次原始文件")
    # Non-public parts of a credit file were read in the back office or through the API.
    CREDIT_FILE_READ = "credit_file.read", _("查看信用档案")
    # The operator set a day of the working-day calendar (holiday or make-up working day).
    WORKDAY_SET = "workday.set", _("调整工作日")
    # The operator removed a working-day override (the shipped calendar applies again).
    WORKDAY_UNSET = "workday.unset", _("撤销工作日调整")
    # The operator confirmed a year's calendar as complete in the override table.
    CALENDAR_YEAR_CONFIRM = "calendar.year_confirm", _("确认日历年度")
    # The credit office changed whether and how long a class of penalties is published.
    PUBLICITY_RULE_SAVE = "publicity_rule.save", _("修改公示期限规则")
    # The publication sweep published received decisions and took ended or withdrawn ones
    # out of public view.
    PUBLICATION_SWEEP = "publication.sweep", _("双公示定时处理")
    # Records whose retention period ended left the credit file (kept as archive only).
    RECORD_RETENTION_SWEEP = "record.retention_sweep", _("信用记录保存期满处理")
    # A table was converted to partitions or back (xinyong partitions apply / the migration).
    PARTITION_CONVERT = "partition.convert", _("数据表分区转换")
    # Months of the check log past their retention were archived and dropped whole.
    PARTITION_RETENTION = "partition.retention", _("分区保存期满处理")
    # Steps of the list designation procedure (立案 → 告知 → 陈述申辩 → 认定 → 公示 → 移出).
    LIST_ENTRY_OPEN = "list_entry.open", _("名单立案")
    LIST_ENTRY_NOTIFY = "list_entry.notify", _("名单事先告知")
    LIST_ENTRY_HEAR = "list_entry.hear", _("名单陈述申辩")
    LIST_ENTRY_DECIDE = "list_entry.decide", _("名单认定决定")
    LIST_ENTRY_PUBLISH = "list_entry.publish", _("名单公示")
    LIST_ENTRY_REMOVE = "list_entry.remove", _("名单移出")
    LIST_ENTRY_DROP = "list_entry.drop", _("名单不予认定")
    # The subject filed its statement and defence online (its bound portal account).
    LIST_ENTRY_STATEMENT = "list_entry.statement", _("在线陈述申辩")
    # A non-public document (prior notice, decision, rectification order) or a statement's
    # attachment was downloaded.
    DOCUMENT_READ = "document.read", _("下载文书")
    # An objection was marked or cleared on an entry: its measures are suspended meanwhile.
    LIST_ENTRY_OBJECTION = "list_entry.objection", _("名单异议标记")
    # Entries whose term ended were removed by the daily upkeep.
    LIST_ENTRIES_EXPIRE = "list_entry.expire", _("名单期满移出")
    # Entries of an external list (e.g. the courts') were brought in from a batch.
    LIST_ENTRIES_IMPORT = "list_entry.import", _("外部名单导入")
    # The log of credit checks was read: who checked which subject in which matter.
    CHECK_LOG_READ = "check_log.read", _("查看信用核查记录")
    # A department reported whether it applied the measures a credit check returned.
    CHECK_FEEDBACK = "check.feedback", _("核查措施实施反馈")
    # Reference data that changes decisions (list types, measures…) edited in the admin.
    CONFIG_SAVE = "config.save", _("修改奖惩配置")
    # A member of the public made a portal account.
    PORTAL_ACCOUNT_REGISTER = "portal_account.register", _("注册门户账号")
    # A portal account asked to act for a subject / the request was approved or refused.
    BINDING_REQUEST = "binding.request", _("申请绑定主体")
    BINDING_REVIEW = "binding.review", _("审核主体绑定")
    # The steps of an objection: filed, marked, forwarded, decided.
    OBJECTION_FILE = "objection.file", _("提出异议")
    OBJECTION_MARK = "objection.mark", _("标注异议")
    OBJECTION_FORWARD = "objection.forward", _("转交异议")
    OBJECTION_DECIDE = "objection.decide", _("异议办结")
    # A repair application was filed / decided.
    REPAIR_APPLY = "repair.apply", _("申请信用修复")
    REPAIR_DECIDE = "repair.decide", _("信用修复办结")
    # The credit office published a month's honor and dishonor roll (红黑榜).
    ROLL_PUBLISH = "roll.publish", _("发布红黑榜")
    # The designating department asked the implementing departments to apply measures.
    JOINT_ACTION_INITIATE = "joint_action.initiate", _("发起联合奖惩")
    # An implementing department answered its task (applied, or not and why).
    ACTION_TASK_RESPOND = "action_task.respond", _("联合奖惩任务反馈")
    # Rectification ordered / completed; interviews scheduled / recorded.
    RECTIFICATION_ISSUE = "rectification.issue", _("责令限期整改")
    RECTIFICATION_COMPLETE = "rectification.complete", _("整改办结")
    INTERVIEW_SCHEDULE = "interview.schedule", _("安排信用约谈")
    INTERVIEW_RECORD = "interview.record", _("记录信用约谈")
    # A credit report was issued (its number, kind, subject, purpose and file digest); for
    # an own, special or review report this is also the audited read of what it shows.
    REPORT_ISSUE = "report.issue", _("出具信用报告")
    # A department asked for a batch of reports (e.g. a tender's bidders).
    REPORT_BATCH_SUBMIT = "report.batch_submit", _("提交批量信用报告")
    # A non-public report's file was downloaded again by someone entitled to it.
    REPORT_READ = "report.read", _("下载信用报告")
    # The credit office set a matter's commitment rule / saved a commitment template (a
    # changed text is a new version).
    COMMITMENT_RULE_SET = "commitment.rule_set", _("设置事项承诺规则")
    COMMITMENT_TEMPLATE_SAVE = "commitment.template_save", _("保存承诺书模板")
    # A subject signed a commitment online / a department recorded a paper one.
    COMMITMENT_SIGN = "commitment.sign", _("签署信用承诺")
    COMMITMENT_RECORD = "commitment.record", _("录入纸质信用承诺")
    # The accepting department received the missing documents / found the commitment kept.
    COMMITMENT_SUPPLY = "commitment.supply", _("容缺材料补齐")
    COMMITMENT_KEEP = "commitment.keep", _("核查确认履约")
    # A breach proposed with evidence, the subject's statement, the reviewer's decision.
    COMMITMENT_PROPOSE_BREACH = "commitment.propose_breach", _("告知拟认定违诺")
    COMMITMENT_STATEMENT = "commitment.statement", _("违诺陈述申辩")
    COMMITMENT_DECIDE = "commitment.decide", _("违诺认定决定")
    # The daily sweep: deficiency-tolerant cases ended for late documents, commitments
    # whose validity ran out.
    COMMITMENT_SWEEP = "commitment.sweep", _("信用承诺到期处理")
    # A breach's bar lifted (its record repaired or withdrawn).
    COMMITMENT_BAR_LIFT = "commitment.bar_lift", _("解除告知承诺限制")
    # A subject declared a fact of itself under a pledge / it was verified (its record is
    # then written by a batch of its own) or refused with reasons.
    DECLARATION_SUBMIT = "declaration.submit", _("提交自主申报")
    DECLARATION_VERIFY = "declaration.verify", _("核实自主申报")
    DECLARATION_REFUSE = "declaration.refuse", _("自主申报未通过核实")
    # An evaluation model file loaded as a new version (and made the one in use or not).
    EVALUATION_MODEL_LOAD = "evaluation.model_load", _("载入评价模型")
    # A run requested (full or incremental) / finished: the grades switched at once.
    EVALUATION_RUN = "evaluation.run", _("发起公共信用综合评价")
    EVALUATION_DONE = "evaluation.done", _("公共信用综合评价完成")
    # What the public sees of the evaluation changed.
    EVALUATION_PUBLICATION = "evaluation.publication", _("修改评价结果公开设置")
    # A subject's full evaluation (score, indicators, hints) read by staff.
    EVALUATION_READ = "evaluation.read", _("查看评价详情")
    # A department's inspection item (抽查事项) was created or changed.
    INSPECTION_ITEM_SAVE = "inspection_item.save", _("保存抽查事项")
    # A department set how its sector grades of one domain map to supervision classes.
    SECTOR_MAP_SET = "sector_map.set", _("设置行业信用等级对照")
    # An inspector joined or left a department's pool.
    INSPECTOR_SAVE = "inspector.save", _("保存执法检查人员")
    # An inspector's conflict of interest with a subject was declared or ended.
    INSPECTOR_CONFLICT = "inspector.conflict", _("申报利害关系回避")
    # An inspection plan was created (items, ratios per class, inspectors per task).
    PLAN_CREATE = "plan.create", _("创建检查计划")
    # A plan's candidates, pools and exclusions were frozen; the seed's hash published.
    PLAN_FREEZE = "plan.freeze", _("冻结检查计划候选名单")
    # A plan's subjects and inspectors were drawn with its seed.
    PLAN_DRAW = "plan.draw", _("双随机抽取")
    # A plan's seed was published: anyone may re-run the draw.
    PLAN_SEED_PUBLISH = "plan.seed_publish", _("公布随机种子")
    # A plan's frozen candidate list (subjects with their classes) or pool was downloaded.
    PLAN_LIST_READ = "plan.list_read", _("下载检查计划冻结名单")
    # An inspection task's result was recorded.
    TASK_RESULT_RECORD = "task.result_record", _("录入抽查结果")
    # An inspection task's result was published (a negative one also filed as a record).
    TASK_RESULT_PUBLISH = "task.result_publish", _("公示抽查结果")
    # A month's effectiveness report (跟踪问效月报) was generated: every department's figures.
    MONTHLY_REPORT_GENERATE = "monthly_report.generate", _("生成跟踪问效月报")
    # File exchange (GB/T 39443-2020): a package of a feed written for an exchange node; a
    # node's package received (its files submitted as batches) or refused whole; the daily
    # count-and-digest of the feeds stored.
    EXCHANGE_EXPORT = "exchange.export", _("导出交换数据包")
    EXCHANGE_IMPORT = "exchange.import", _("接收交换数据包")
    EXCHANGE_REFUSE = "exchange.refuse", _("拒收交换数据包")
    EXCHANGE_DIGEST = "exchange.digest", _("生成每日对账摘要")
    # The tables batch jobs read exported to Parquet (the whole credit file, for DuckDB or
    # Spark: xinyong/engines).
    ENGINES_EXPORT = "engines.export", _("导出批处理数据（Parquet）")
    # The public reports' data computed on a batch engine and written back (the run in
    # force replaced: engine, data time, scope, subjects).
    ENGINES_REPORT_DATA = "engines.report_data", _("批处理计算信用报告数据")
    # A change subscription (webhook) was registered: address, kinds, subjects watched.
    WEBHOOK_CREATE = "webhook.create", _("登记变动订阅")
    # A subscription's address, kinds or subjects were changed.
    WEBHOOK_UPDATE = "webhook.update", _("变更变动订阅")
    # A subscription's signing secret was rotated (the previous one signs for a grace period).
    WEBHOOK_SECRET_ROTATE = "webhook.secret_rotate", _("轮换订阅签名密钥")
    # A subscription was stopped by its department or the credit office.
    WEBHOOK_DISABLE = "webhook.disable", _("停用变动订阅")
    # A stopped subscription was started again.
    WEBHOOK_ENABLE = "webhook.enable", _("启用变动订阅")
    # A subscription's deliveries from a point in time were queued again.
    WEBHOOK_REPLAY = "webhook.replay", _("重放订阅消息")
    # A test message was queued to a subscription.
    WEBHOOK_PING = "webhook.ping", _("发送订阅测试消息")
    # The platform stopped a subscription after repeated failed deliveries.
    WEBHOOK_STOP = "webhook.stop", _("因投递失败停用变动订阅")
    # Integrity demonstration units (诚信示范单位): a creation campaign was created.
    DEMONSTRATION_CAMPAIGN_CREATE = "demonstration.campaign_create", _("创建诚信示范创建活动")
    # An application of a unit to a campaign was recorded.
    DEMONSTRATION_UNIT_APPLY = "demonstration.unit_apply", _("录入诚信示范单位申报")
    # A unit was assessed: awarded or not, each criterion answered.
    DEMONSTRATION_UNIT_ASSESS = "demonstration.unit_assess", _("评审诚信示范单位")
    # A campaign's results were published on the portal.
    DEMONSTRATION_CAMPAIGN_PUBLISH = "demonstration.campaign_publish", _("公布诚信示范单位名单")
    # The daily scan found awarded units whose members breached the criteria.
    DEMONSTRATION_BREACH_SCAN = "demonstration.breach_scan", _("发现诚信示范单位失信情形")
    # The organiser found a breach finding no reason to revoke, with its reasons.
    DEMONSTRATION_BREACH_CLEAR = "demonstration.breach_clear", _("核查后保留诚信示范单位命名")
    # A unit's title was revoked, with reasons.
    DEMONSTRATION_UNIT_REVOKE = "demonstration.unit_revoke", _("撤销诚信示范单位命名")
    # Public bodies (issue #18, item 6): a notice's addressee acknowledged it online; a
    # paper acknowledgement was recorded; the upkeep reminded the overdue ones; a staff
    # member's misconduct was notified; a body's superior and audit department were set.
    NOTICE_ACKNOWLEDGE = "notice.acknowledge", _("签收通报")
    NOTICE_PAPER_RECEIPT = "notice.paper_receipt", _("登记通报纸质签收")
    NOTICE_REMIND = "notice.remind", _("催办逾期未签收通报")
    MISCONDUCT_RECORD = "misconduct.record", _("通报工作人员违规失信行为")
    PUBLIC_BODY_SAVE = "public_body.save", _("设置通报对象")
    # A notice's text (its receipt's page, or the API) was read by staff or a system: a
    # staff misconduct notice names a person, a list notice a decision not yet published.
    NOTICE_READ = "notice.read", _("查看通报")
    # Practitioner credit files (issue #18, item 7): the credit office saved a profession;
    # an industry department registered a practitioner (a person not yet registered is
    # registered with it). Each staff read of a file is a credit_file.read event.
    PROFESSION_SAVE = "profession.save", _("保存重点职业")
    PRACTITIONER_REGISTER = "practitioner.register", _("登记从业人员")
    # An early-warning rule was created by the credit office.
    ALERT_RULE_CREATE = "alert_rule.create", _("新增预警规则")
    # An early-warning rule's parameters, recipients or state were changed (version + 1).
    ALERT_RULE_CHANGE = "alert_rule.change", _("修改预警规则")
    # A rule was evaluated and raised or updated alerts (counts and ids in the detail).
    ALERTS_RUN = "alerts.run", _("生成失信预警")
    # A rule's run closed the open (or acknowledged) alerts whose rule no longer holds,
    # set-based, with a system note naming why (the count and ids in the detail).
    ALERTS_AUTO_CLOSE = "alerts.auto_close", _("自动关闭失信预警")
    # A department acknowledged an alert.
    ALERT_ACKNOWLEDGE = "alert.acknowledge", _("签收失信预警")
    # A department closed an alert with its outcome and note.
    ALERT_CLOSE = "alert.close", _("关闭失信预警")
    # An alert's page (its evidence) was read by staff.
    ALERT_READ = "alert.read", _("查看失信预警")
    # A warning notice was read (downloaded) by the subject or staff.
    WARNING_NOTICE_READ = "warning_notice.read", _("查看失信预警提示书")
    # Rewarded tips (issue #18 item 3). A tip was filed (anonymously or under a verified
    # identity — never who: the detail names neither the account nor the person).
    TIP_FILE = "tip.file", _("提交失信行为举报")
    # The credit office routed (or re-routed) a tip to the competent department.
    TIP_ROUTE = "tip.route", _("分派失信行为举报")
    # The department accepted a tip (its clerk becoming the handling officer) / declined it
    # with reasons; a staff member took over a case a business system accepted.
    TIP_ACCEPT = "tip.accept", _("受理失信行为举报")
    TIP_REJECT = "tip.reject", _("不予受理失信行为举报")
    TIP_CLAIM = "tip.claim", _("承办失信行为举报")
    # The department decided: substantiated (its record then written) or not, with reasons.
    TIP_DECIDE = "tip.decide", _("失信行为举报办结")
    # The reward decided under the department's rule (amount, basis) / paid.
    TIP_REWARD = "tip.reward", _("核定举报奖励")
    TIP_REWARD_PAID = "tip.reward_paid", _("发放举报奖励")
    # A tip not yet decided was transferred to another department, with the reasons: sent
    # on by the department it was routed to, or reassigned by the credit office.
    TIP_TRANSFER = "tip.transfer", _("转办失信行为举报")
    # The handling officer read a verified tipster's name and contact, with the purpose.
    TIP_IDENTITY_READ = "tip.identity_read", _("查看举报人身份")
    # The credit office changed the routing table or the periods.
    TIP_SETTINGS_SAVE = "tip.settings_save", _("修改举报分派和期限设置")
    # -- industry associations (xinyong/associations) --
    # A department authorised an association to keep member credit records.
    ASSOCIATION_AUTHORISE = "association.authorise", _("授权行业协会商会")
    # An association's authorisation was ended (its powers end at once).
    ASSOCIATION_AUTHORISATION_END = "association.authorisation_end", _("终止行业协会授权")
    # An association added a member, or recorded that one left.
    ASSOCIATION_MEMBER_ADD = "association.member_add", _("登记会员")
    ASSOCIATION_MEMBER_LEAVE = "association.member_leave", _("会员退会")
    # An association opened or closed a self-discipline commitment campaign.
    ASSOCIATION_CAMPAIGN_OPEN = "association.campaign_open", _("发起行业自律承诺")
    ASSOCIATION_CAMPAIGN_CLOSE = "association.campaign_close", _("结束行业自律承诺")
    # A member signed a campaign through its bound portal account.
    ASSOCIATION_CAMPAIGN_SIGN = "association.campaign_sign", _("签署行业自律承诺")
    # The steps of an industry sanction: proposal, notice, statement, decision.
    ASSOCIATION_SANCTION_PROPOSE = "association.sanction_propose", _("拟作出行业惩戒")
    ASSOCIATION_SANCTION_NOTIFY = "association.sanction_notify", _("行业惩戒事先告知")
    ASSOCIATION_SANCTION_STATEMENT = "association.sanction_statement", _("行业惩戒陈述申辩")
    ASSOCIATION_SANCTION_DECIDE = "association.sanction_decide", _("行业惩戒决定")
    # A decided sanction revoked by the association (its record withdrawn from the file).
    ASSOCIATION_SANCTION_REVOKE = "association.sanction_revoke", _("撤销行业惩戒决定")
    # -- credit service agencies (xinyong.agencies) -----------------------------------
    # An agency filed (first filing or a change of its details) for review.
    AGENCY_FILE = "agency.file", _("提交信用服务机构备案")
    # The credit office approved a filing (the agency's filed details are the filing's).
    AGENCY_APPROVE = "agency.approve", _("准予信用服务机构备案")
    # The credit office returned a filing for correction, with reasons.
    AGENCY_RETURN = "agency.return", _("退回信用服务机构备案")
    # The credit office refused a filing, with reasons.
    AGENCY_REFUSE = "agency.refuse", _("不予信用服务机构备案")
    # A filing's material was read in the back office.
    AGENCY_FILE_READ = "agency.file_read", _("查看信用服务机构备案材料")
    # An agency listed a practitioner, or ended one.
    AGENCY_PERSON_ADD = "agency.person_add", _("登记信用服务机构从业人员")
    AGENCY_PERSON_END = "agency.person_end", _("终止信用服务机构从业人员")
    # An agency's API token was issued, or stopped (the token itself is never recorded).
    AGENCY_TOKEN_ISSUE = "agency.token_issue", _("签发信用服务机构接口令牌")
    AGENCY_TOKEN_REVOKE = "agency.token_revoke", _("停用信用服务机构接口令牌")
    # A subject authorised an agency, or revoked an authorisation.
    AGENCY_AUTHORISE = "agency.authorise", _("授权信用服务机构")
    AGENCY_AUTHORISATION_REVOKE = "agency.authorisation_revoke", _("撤回对信用服务机构的授权")
    # An agency read a subject's data under an authorisation (report or covered records).
    AGENCY_READ = "agency.read", _("信用服务机构读取授权主体信息")
    # An agency registered a credit report it issued.
    AGENCY_REPORT_REGISTER = "agency.report_register", _("登记信用服务机构出具的报告")
    # A department or the credit office recorded an agency's misconduct.
    AGENCY_MISCONDUCT = "agency.misconduct", _("登记信用服务机构失信行为")
    # The credit office notified an agency that it intends to remove it from the directory.
    AGENCY_REMOVAL_NOTIFY = "agency.removal_notify", _("告知拟移出信用服务机构名录")
    # The credit office removed an agency from the directory (tokens and authorisations end).
    AGENCY_REMOVE = "agency.remove", _("移出信用服务机构名录")
    # The agency stated its case on a removal notice (the attachment's digest recorded).
    AGENCY_REMOVAL_STATEMENT = "agency.removal_statement", _("信用服务机构对拟移出名录陈述申辩")
    # The credit office dropped a removal case (the agency stays listed).
    AGENCY_REMOVAL_DROP = "agency.removal_drop", _("终止信用服务机构移出名录程序")


# What an event's object is, as the audit log names it (``object_type`` → label). A type
# not listed here (an admin page's model label) is shown as stored.
OBJECT_LABELS = {
    "action_task": _("联合奖惩任务"),
    "alert": _("失信预警"),
    "alert_rule": _("预警规则"),
    "agency": _("信用服务机构"),
    "agency_authorisation": _("主体授权"),
    "agency_filing": _("信用服务机构备案"),
    "agency_removal": _("移出名录案件"),
    "agency_report": _("机构出具报告"),
    "agency_token": _("机构接口令牌"),
    "api_client": _("接口客户端"),
    "batch": _("报送批次"),
    "evaluation_model": _("评价模型"),
    "evaluation_run": _("评价批次"),
    "parquet_export": _("批处理数据导出"),
    "monthly_report": _("跟踪问效月报"),
    "notice_receipt": _("通报签收"),
    "staff_misconduct": _("工作人员违规失信行为通报"),
    "public_body": _("机关事业单位和国有企业"),
    "profession": _("重点职业"),
    "practitioner": _("从业人员"),
    "exchange_package": _("交换数据包"),
    "exchange_digest": _("每日对账摘要"),
    "binding": _("主体绑定"),
    "calendar_year": _("工作日历年度"),
    "catalog": _("资源目录"),
    "catalog_item": _("目录项"),
    "code_defect": _("重错码检查"),
    "commitment": _("信用承诺"),
    "credit_check": _("信用核查"),
    "declaration": _("自主申报"),
    "demonstration_campaign": _("诚信示范创建活动"),
    "demonstration_unit": _("诚信示范单位"),
    "tip": _("失信行为举报"),
    "tip_domain": _("举报领域"),
    "tip_policy": _("举报设置"),
    "department": _("部门"),
    "inspection_item": _("抽查事项"),
    "inspection_plan": _("检查计划"),
    "inspection_task": _("检查任务"),
    "inspector": _("执法检查人员"),
    "interview": _("信用约谈"),
    "list_entry": _("名单条目"),
    "list_type": _("外部名单来源"),
    "matter": _("办理事项"),
    "objection": _("异议"),
    "publication": _("双公示"),
    "publicity_rule": _("公示规则"),
    "record": _("信用记录"),
    "rectification": _("限期整改"),
    "registration": _("登记信息"),
    "related_person": _("关联人"),
    "repair": _("信用修复申请"),
    "report": _("信用报告"),
    "report_batch": _("批量信用报告"),
    "roll": _("红黑榜"),
    "sector_map": _("行业信用等级对照"),
    "sharing_rule": _("共享规则"),
    "statement_file": _("陈述申辩附件"),
    "subject": _("信用主体"),
    "template": _("承诺书模板"),
    "user": _("用户"),
    "warning_notice": _("失信预警提示书"),
    "webhook": _("变动订阅"),
    "authorisation": _("行业协会授权"),
    "membership": _("会员"),
    "campaign": _("行业自律承诺"),
    "industry_sanction": _("行业自律惩戒"),
    "workday": _("工作日"),
}
# Types whose object id is a catalog item's code: the log shows the item's name.
OBJECTS_BY_ITEM = ("catalog_item", "list_type")


def is_read(action: str) -> bool:
    """An event that records a read of non-public data (``….read``, ``…_read``,
    ``…_download``): it changes nothing a reader of a replica could miss."""
    return action.endswith((".read", "_read", "_download"))
