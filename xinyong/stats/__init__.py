"""Statistics and effectiveness tracking (统计分析与跟踪问效, issue #17): back-office dashboards,
department scorecards and their monthly report, the portal's public statistics page."""
