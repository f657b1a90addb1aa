"""One module per console section (提案, 通知, 委员, 统计, 日志, ...), each adding its routes."""
