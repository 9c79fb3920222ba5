// Renders a markdown file with markdown-it (CommonMark, GFM tables and strikethrough, inline HTML on, bare URLs
// linked, as GitHub renders a comment) and prints, as JSON, every element the rendering made: its type, tag and text.
import { readFileSync } from 'node:fs'
import MarkdownIt from 'markdown-it'

const md = new MarkdownIt({ html: true, linkify: true })
const elements = []
const walk = tokens => {
  for (const token of tokens) {
    if (token.nesting !== -1 && token.type !== 'inline') {
      elements.push({ type: token.type, tag: token.tag, content: token.content })
    }
    if (token.children) walk(token.children)
  }
}
walk(md.parse(readFileSync(process.argv[2], 'utf8'), {}))
process.stdout.write(JSON.stringify(elements))
