import FoundationEssentials

/// Status line, headers, and a body delimited by Content-Length, chunked encoding, or the close.
enum HTTPResponseParser {
    static func parse(_ raw: [UInt8], endpoint: String) throws(HTTPError) -> HTTPResponse {
        guard let headEnd = find([13, 10, 13, 10], in: raw) else {
            throw HTTPError(endpoint: endpoint, reason: raw.isEmpty ? "the connection closed without an answer" : "the answer is not HTTP")
        }
        let head = String(decoding: raw[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw HTTPError(endpoint: endpoint, reason: "the answer is not HTTP")
        }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")))
        }
        var body = Array(raw[(headEnd + 4)...])
        let response = HTTPResponse(status: status, headers: headers, body: [])
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            body = try dechunk(body, endpoint: endpoint)
        } else if let length = response.header("Content-Length").flatMap(Int.init), length <= body.count {
            body = Array(body[..<length])
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: [UInt8], endpoint: String) throws(HTTPError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            guard let lineEnd = find([13, 10], in: data, from: i) else { break }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: " "), radix: 16) else {
                throw HTTPError(endpoint: endpoint, reason: "malformed chunked body")
            }
            if size == 0 { break }
            let start = lineEnd + 2
            guard start + size <= data.count else { throw HTTPError(endpoint: endpoint, reason: "truncated chunked body") }
            out.append(contentsOf: data[start..<(start + size)])
            i = start + size + 2
        }
        return out
    }

    static func find(_ needle: [UInt8], in data: [UInt8], from start: Int = 0) -> Int? {
        guard data.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= data.count {
            if data[i] == needle[0] && Array(data[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
