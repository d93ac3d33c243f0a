from nidaan.cli import main

main()
