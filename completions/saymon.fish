complete --keep-order --exclusive --command saymon --arguments "(COMPLETE=fish saymon -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
