import SequoiaKit
let demoCommand = Job(name: "demo", summary: "placeholder", options: []) { _ in }
