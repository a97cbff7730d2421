"""Local Alipay open-platform gateway simulator (当面付): real RSA2 both ways, public-key and
certificate modes, scenarios per payment code, faults, refunds, bills, SQLite state."""
