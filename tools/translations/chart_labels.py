T = {
    "Temp (%(unit)s)": "तापमान (%(unit)s)",
}
