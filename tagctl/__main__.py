from tagctl.cli import main

main()
