T = {
    "Temperature unit": "तापमान की इकाई",
}
