// Benchmarks print figures; they are run by hand (`swift run -c release reconcile-bench`), not timed in tests.
let selected = Set(CommandLine.arguments.dropFirst())

if selected.isEmpty || selected.contains("plan") {
    try PlanBenchmark.run()
    try PlanProcessBenchmark.run()
}

if selected.isEmpty || selected.contains("home-assistant") {
    try HomeAssistantBenchmark.run()
}

if selected.isEmpty || selected.contains("apply") {
    try ApplyBenchmark.run()
}

// Needs a Docker engine and two release binaries; run by name only.
if selected.contains("apply-stock") {
    try StockApplyBenchmark.run()
}

if selected.isEmpty || selected.contains("fetch") {
    try FetchBenchmark.run()
}

if selected.isEmpty || selected.contains("exposure") {
    try ExposureBenchmark.run()
}

if selected.isEmpty || selected.contains("serve") {
    try ServeBenchmark.run()
}
