T = {
    "last visit": "पिछली विज़िट",
}
