// Reports and work over the whole store: info, df, prune, reset, renumber.
export {infoReport, infoTemplateData, versionReport, idMappings, uptimeText} from './info.js'
export {diskUsage, dfSummary, dirBytes, type DfReport, type DfSummaryRow} from './df.js'
export {systemPrune, systemReset, systemRenumber, type SystemPruneOptions, type SystemPruneReport} from './prune.js'
export {humanDuration} from '../util/human.js'
