// A test imports TestSupport alone and has the core and the gateway tree too.
@_exported import GatewayHarness
@_exported import TestSupportCore
