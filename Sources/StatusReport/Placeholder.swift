// The status report: model and renderings (issue 7).
