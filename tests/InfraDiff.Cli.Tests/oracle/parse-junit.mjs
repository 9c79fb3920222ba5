// Parses a JUnit XML file with xunit-viewer's own parser and prints, as JSON, each suite with its tests'
// names, statuses and messages: what a person sees in its report.
import { readFileSync } from 'node:fs'
import parse from 'xunit-viewer/src/cli/parse.js'

const parsed = await parse(readFileSync(process.argv[2], 'utf8'))
const suites = Object.values(parsed.suites).map(suite => ({
  name: suite.name,
  properties: Object.fromEntries(Object.entries(suite.properties).filter(([key]) => key !== '_visible')),
  tests: Object.values(suite.tests).map(test => ({ name: test.name, status: test.status, messages: test.messages }))
}))
process.stdout.write(JSON.stringify(suites))
