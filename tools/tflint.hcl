# tflint settings of the Validate stage. Only the bundled terraform ruleset: it needs no plugin
# download, so nothing unpinned enters the build. (The AWS ruleset would need `tflint --init` and
# a pinned plugin version with its checksum.)
config {
  call_module_type = "none"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}
