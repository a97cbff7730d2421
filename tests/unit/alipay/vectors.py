"""Test vectors from docs/alipay-api.md §6 (THROW-AWAY key generated for the doc; never real)."""

# §6.1: plays both the app key and the "Alipay" key, so one public key verifies everything
TEST_KEY_PEM = b"""-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC325wb+h5PyIqt
ql1O+nyYevLHFybXxPSi/KRpUJxfmpo4qW2tIK1DgsDE6e7CZqTp1UZ3FhNvh94E
nCuHKZj9hIZDVu6NpEBdSoB7///HTwEZdgoQvQeZsaX80aYTMflwzhXv8z6W0I0J
ReltAlpDJg7pANU/Ih4CYNEM7sNwjz1g1GoVMeX9Sc0sYs9g00VQQpgV8WZiqTiy
90gTIzF7YfAii/zIPg4hF46kR4QqnnuJkKCvB+oGOIDvgea9opPCyYsxhjY7Anp7
77VtJap9s5RFAmp1uG1I2SOLYV787EXDVj07yRs+ZQSRT4R0nSMEaJ/2Ct19O/hR
5mK1qI9/AgMBAAECggEAK3id2xGS7CtO+svevwdDwWvEjmU/dmHns8fHee0o5APy
dfY9a+NfhChcutJS9Rz+3hjizdJm6wZ1bKKeOhmQRlT4x+A8jDnrTAOLCIaZa/8W
k/YQYC/JpcHWrMXHHh/BSjY4AqGBSXhq+GfSzsbxH5JWkSn0wbYn4UkR9JxZknmt
BP0+I/XVkLNvYAV+LTQIe9WH9+MhiVV6oqsMGHtP2A51VReQzO0zwd5YAkoTQfoU
x5Ou/jv1k4110iBD9++Iemu5rSMwSwph6x7jZoyfGSIgHkbgGWhZks+X+xArbJzE
torouZE8NLsV/4EVfVx6vnezKLymtDvOd1m8EojplQKBgQDjcA/zWxLmfhDSUWrb
UWxx+8JL8EUHRJjEcEHY1V+Didk/MHqeHBjggf/CABRBk9TfhtcSLm80bsFQ05DI
tEkOr1jB43JTXLws8CKbnWryeqRn4RAAUCJhhtrrBWdN0bhfD+drzVBpylrk67ei
bWLO4f34izMCzT3vAntwZflYqwKBgQDO8n1SkVCX6x7om9Po4WmGCgQt0wi1UOHj
8qdQI+CrFmlzs6DyWmZPFVs5KkhdZLLhcgseiper8XiRy8Ou57rFjLNnxqZN1mQo
Kt4qpbVBlfON9NPJcW89FA7YIz7LWL9sW7rCp2lXOYz3L4RSfs6LXWF3W+lRXhCc
YH0jKMDMfQKBgHkjBLvfNC/j0V3T05BAy/vh1djQflOiq6NlDw1IiHjtAPLxBT4V
RQK++tP/asqKzITJst+SL9TDcN9179WWgJr7tdB/LjNMX0WoGSa9L2s6+zoA257v
D4DWbN9kn2MJYqPvOplmX4AZMVRgYAx5Knl6UOUCbwb8/hHBRrHU/nvFAoGBAIX4
7+7TCkS/PuxBbSd3PjQ7KcdstleDPCmwvmYgQ+MeiDgSEuCya0dJQRw55k0n0rIm
fVJRUK1Mjsx8CHujowMe+kn1jVYYtBBY6CjdzADgjaLZ232uxN/aq117O7yzAIGq
xLYdYRHJvRuNFHG/jAEm++EkjGBTsBc8U+a+DEqVAoGBAIGney1nCTo74gQ8oHWR
UbVXcpZ6VVOsTeF/ac8Jcjw8MIVZkE+w1uH+5SBVgwrAf1/TdDyGl9BQ4HxMm0Sk
9iMR5Ie5IfrpquXYLYRYIHHFcljv3N3ZTHzmuTUHNaPWDV38EtAbxcuu8R9YnqrK
vf3q298sCrJ36XnCKskzIMZz
-----END PRIVATE KEY-----
"""

# §6.2 V1
V1_PARAMS = {
    "app_id": "2021000000000001",
    "method": "alipay.trade.pay",
    "format": "JSON",
    "charset": "utf-8",
    "sign_type": "RSA2",
    "timestamp": "2026-01-15 10:30:00",
    "version": "1.0",
    "notify_url": "https://pos.example.com/alipay/notify",
    "app_auth_token": "",
    "biz_content": '{"out_trade_no":"T20260115103000001","scene":"bar_code","auth_code":"281234567890123456","subject":"测试商品","total_amount":"0.01"}',
}
V1_STRING = 'app_id=2021000000000001&biz_content={"out_trade_no":"T20260115103000001","scene":"bar_code","auth_code":"281234567890123456","subject":"测试商品","total_amount":"0.01"}&charset=utf-8&format=JSON&method=alipay.trade.pay&notify_url=https://pos.example.com/alipay/notify&sign_type=RSA2&timestamp=2026-01-15 10:30:00&version=1.0'
V1_SHA256 = "72b4d8d0088525ae6c06df3642e2476bf6e3d643e2547d4f459aac15eb640866"
V1_SIGN = "egdjlgcmsosW03OAutXVyaibwqJINGTICtpRBKSG39dEPl43wfIte4Qx+6D2MmWnZZ2PiMosNLF/Io3SjMlOyl7prDt+BjcY01yG1t/Y5T8NKipmVDoxDhycHB+GNT02nGj3oodJgEj5zFDC9qY3k73suxAxA7iEfbNWdTbwU0Rw8Ul83OOMuE4tPtQRQ+X3RMDwqMHFVMsBlvpkfBx04IVq24iZSuD9UHrUv2z4T42OD+zFqXbMVIm6Ldn0FH3pGYukWquhWEOXmCD4gWxhPpGKZa9yIvAsxhFqVOMNPHziZYUUk8zRUeW8w3srxO+NYv/hi5qbgjz35F4bviQohg=="

# §6.3 V2
R1 = '{"alipay_trade_precreate_response":{"code":"10000","msg":"Success","out_trade_no":"T20260115103000002","qr_code":"https:\\/\\/qr.alipay.com\\/bax00000000000000000000"},"sign":"MPV1nhP3oNKW8mEHIoZRBtHPzd3/Csdb93YMLuxpLpm5AOiOitL+JK+d5Hr7GRdxfuhxkUZl0VELcxmILsFDkYCEtl+NipqbNYDRf0jS3P4cWUS7r4olgf4D5nCAWyqAZxHBkbviYP3OHIszHbes+C9M3M2Kj/sPf0VHrpiST5BYJMRE7M9rHsFzXG0hNEvjgevm2pAaPCDzQhVn/vUgYOWYvK+uhUR2Vr0Ji+dQ3ZjN1SKG069Y17EiwpPE4GQgggzokMF0xfffHEmw6NtT3yLWS9AC6ulrdxoBw2DNs0yGRNMTdAvzLpPTCaDEG4vaKnB7CeHcd5AI0pAIcnezLg=="}'
R2 = '{"alipay_trade_query_response":{"code":"10000","msg":"Success","buyer_logon_id":"159****5620","buyer_pay_amount":"0.01","buyer_user_id":"2088102122524333","invoice_amount":"0.01","out_trade_no":"T20260115103000001","point_amount":"0.00","receipt_amount":"0.01","send_pay_date":"2026-01-15 10:30:02","total_amount":"0.01","trade_no":"2026011522001400000000000001","trade_status":"TRADE_SUCCESS"},"alipay_cert_sn":"e3f1b7c2a9d04b6e8f1a2b3c4d5e6f70","sign":"WvTPy5gDcGsyEPY1++CFx4FsHCipGzkCY8N8BDfDhQHaLgJeNbVjN1i1LbmrSI4HcrxcCXhbSi5pMEDrrRcLtCkcmj5VJkHs7iz789SKpRaIeJerdJKnp8wLASrEQEQEp3NWXPyewIOzEvzay1NptZcDz6fuRSqUd0gH53YXWVfThSKxMvKYe5Me/JFmcFo5uEE7ICcGekrv2Kh7GwCKQ53rUCHS3P354tqxvBU+9D/fjNpW3aprCqRw8Dx2AWX82i/F/oTxcqFKbKqL+OSTGUZ02cGzBY/crMGSI0dFgGWDwbswjTwIauVYNmmb72VML1rdP3Y6q2GC5J6UvF7tCg=="}'

# §6.4 V3
V3_FIELDS = {
    "gmt_create": "2026-01-15 10:31:00",
    "charset": "utf-8",
    "gmt_payment": "2026-01-15 10:31:05",
    "notify_time": "2026-01-15 10:31:06",
    "subject": "测试商品",
    "buyer_id": "2088102122524333",
    "invoice_amount": "10.00",
    "version": "1.0",
    "notify_id": "2026011500222103105000000000000000",
    "fund_bill_list": '[{"amount":"10.00","fundChannel":"ALIPAYACCOUNT"}]',
    "notify_type": "trade_status_sync",
    "out_trade_no": "T20260115103000002",
    "total_amount": "10.00",
    "trade_status": "TRADE_SUCCESS",
    "trade_no": "2026011522001400000000000002",
    "auth_app_id": "2021000000000001",
    "receipt_amount": "10.00",
    "point_amount": "0.00",
    "app_id": "2021000000000001",
    "buyer_pay_amount": "10.00",
    "sign_type": "RSA2",
    "seller_id": "2088101106499364",
}
V3_SIGN = "U3lSJXkxKKhVwNUCqNZCgBIdLCRjH1VBeOlCUG0qqC4tkgtdUlBLmB0/Be1r0z2HyGqwrCbwa6K2dsplbgAgfd0H/RGO+cdgf7LKYhBzsOEgB/qKdUCXRv+5aAZxfpZZPXtkm5BYAmaSAV2TukeK1jaKRcPiF/4MedWeyU/O/02pXApTgZEyX7u5B31Ov3bOWiYdW6gqaJuE8H0VqxXYkpJvJGGKnaAprAIpQQQUU+yj6Sko2t9k8TW6yH3EmWEgbUKUB0X5B6TeA6hqTD0mF9ylpcySD0XYrfeigeRBy+JMZZoy2sCBs9L7lTuOxRWA7OnApQ8vElQubzvyOyb4mg=="
