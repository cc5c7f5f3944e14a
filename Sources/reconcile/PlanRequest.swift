import Controller

/// What one `reconcile plan` (or `reconcile --plan`) run was asked for, as plain values: `runPlan` takes
/// only this, from either form of the command.
struct PlanRequest: Equatable {
    /// `--config`: the settings file under the command line's settings.
    var config: String?
    /// The gateway options as a layer of settings (`GatewayOptions.layer`).
    var gateway = SettingsFile()
    /// The engine options as a layer (`PlanEngineOptions.layer`); nil for `reconcile --plan`, which has none
    /// and reads the engine as the settings file says.
    var engine: SettingsFile?
    var noRuntime = false
    var format = OutputFormat()
    var publishStatus = false

    /// The one resolution of this run's settings: its options over the settings file over the defaults.
    func resolve() throws(ReconcileError) -> ResolvedSettings {
        try GatewayOptions.resolve(engine ?? SettingsFile(), over: gateway, config: config, engine: noRuntime ? .filesOnly : .read)
    }
}

extension PlanRequest {
    /// `reconcile plan …` as argument-parser read it.
    init(_ command: PlanCommand) {
        self.init(gateway: command.gateway, format: command.output.format, engine: command.engine, publishStatus: command.publishStatus)
    }

    /// `reconcile --plan …` as argument-parser read it.
    init(_ command: Reconcile) {
        self.init(gateway: command.gateway, format: command.output.format, engine: nil)
    }

    private init(gateway: GatewayOptions, format: OutputFormat, engine: PlanEngineOptions?, publishStatus: Bool = false) {
        self.init(config: gateway.config, gateway: gateway.layer, engine: engine?.layer, noRuntime: engine?.noRuntime ?? false,
                  format: format, publishStatus: publishStatus)
    }
}
