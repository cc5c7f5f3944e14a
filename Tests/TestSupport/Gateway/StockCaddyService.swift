/// The stock gateway's `caddy` compose service, as MAPIO OS ships it: only 443 published, on the `caddy`
/// network, reaching the host as `host.docker.internal`, the Caddyfile bind-mounted as a single file and
/// Caddy's data in a host folder. `image` is its `image:` line and whatever goes with it, indented 4.
public enum StockCaddyService {
    public static let defaultImage = "    image: caddy:latest"

    public static func text(image: String = defaultImage, caddyfile: String, data: String) -> String {
        """
          caddy:
        \(image)
            restart: unless-stopped
            ports:
              - "443:443"
            networks:
              - caddy
            extra_hosts:
              - host.docker.internal:host-gateway
            volumes:
              - \(caddyfile):/etc/caddy/Caddyfile
              - \(data):/data

        """
    }
}
