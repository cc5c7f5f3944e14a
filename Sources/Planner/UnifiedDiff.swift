/// `diff -u`-style text for `--diff`: Myers' algorithm on lines, after trimming the common
/// prefix and suffix (our edits are local, so the middle is small).
public enum UnifiedDiff {
    public static func render(old: [UInt8], new: [UInt8], path: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        let script = editScript(a, b)
        var out = "--- \(path)\n+++ \(path) (planned)\n"
        for hunk in hunks(script, context: context) {
            out += hunk
        }
        return out
    }

    enum Op: Equatable { case keep(String), delete(String), insert(String) }

    static func lines(_ bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            result.append(String(decoding: bytes[start..<i], as: UTF8.self))
            start = i + 1
        }
        if start < bytes.count {
            result.append(String(decoding: bytes[start...], as: UTF8.self) + "\n\\ No newline at end of file")
        }
        return result
    }

    static func editScript(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])
        return a[..<prefix].map(Op.keep) + myers(midA, midB) + a[(a.count - suffix)...].map(Op.keep)
    }

    /// Shortest edit script; keeps each round's frontier to walk back.
    static func myers(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        if n == 0 { return b.map(Op.insert) }
        if m == 0 { return a.map(Op.delete) }
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) {
                    x = v[max + k + 1]
                } else {
                    x = v[max + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n && y >= m { trace.append(v); break outer }
            }
        }
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? k + 1 : k - 1
            let prevX = v[max + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(.keep(a[x])) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(.insert(b[y])) } else { x -= 1; ops.append(.delete(a[x])) }
            }
        }
        return ops.reversed()
    }

    static func hunks(_ ops: [Op], context: Int) -> [String] {
        let changed = ops.indices.filter { if case .keep = ops[$0] { return false } else { return true } }
        guard !changed.isEmpty else { return [] }
        var groups: [ClosedRange<Int>] = []
        for index in changed {
            let range = Swift.max(0, index - context)...Swift.min(ops.count - 1, index + context)
            if let last = groups.last, range.lowerBound <= last.upperBound + 1 {
                groups[groups.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                groups.append(range)
            }
        }
        // Line numbers of each op in the old and new file.
        var oldLine = [Int](repeating: 0, count: ops.count)
        var newLine = [Int](repeating: 0, count: ops.count)
        var o = 1, n = 1
        for (i, op) in ops.enumerated() {
            oldLine[i] = o
            newLine[i] = n
            switch op {
            case .keep: o += 1; n += 1
            case .delete: o += 1
            case .insert: n += 1
            }
        }
        return groups.map { group in
            var body = ""
            var oldCount = 0, newCount = 0
            for op in ops[group] {
                switch op {
                case .keep(let line): body += " \(SecretRedaction.line(line))\n"; oldCount += 1; newCount += 1
                case .delete(let line): body += "-\(SecretRedaction.line(line))\n"; oldCount += 1
                case .insert(let line): body += "+\(SecretRedaction.line(line))\n"; newCount += 1
                }
            }
            let oldStart = oldCount == 0 ? oldLine[group.lowerBound] - 1 : oldLine[group.lowerBound]
            let newStart = newCount == 0 ? newLine[group.lowerBound] - 1 : newLine[group.lowerBound]
            return "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n" + body
        }
    }
}
