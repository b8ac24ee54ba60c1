import EHR
import Genomics
import Proteins
import SequoiaKit
import Video

/// The plugins compiled into the executable: the one list (Package.swift's `builtinPlugins` names
/// their targets). Outside plugins load from shared libraries instead (`--plugin`, `SEQUOIA_PLUGINS`).
let builtinPlugins: [any DomainPlugin] = [GenomicsPlugin(), ProteinsPlugin(), EHRPlugin(), VideoPlugin()]
