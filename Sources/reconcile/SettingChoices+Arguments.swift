import ArgumentParser
import Controller

// The fixed-value options parse straight into their enums: a value outside them is a usage error that
// lists the allowed ones (argument-parser reads them from `allCases`), before anything runs.
extension CaddyWay: ExpressibleByArgument {}
extension ComposeClientSetting: ExpressibleByArgument {}
extension HomeAssistantRestartWay: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
