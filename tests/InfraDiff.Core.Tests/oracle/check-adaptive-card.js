// Parses a Teams message's Adaptive Card with the adaptivecards package (Microsoft's own implementation) and
// prints the parse and validation events it reports: an independent check of infradiff's Teams body.
const AdaptiveCards = require("adaptivecards/dist/adaptivecards.js");
const fs = require("fs");

const message = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const content = message.attachments[0].content;
const card = new AdaptiveCards.AdaptiveCard();
const context = new AdaptiveCards.SerializationContext();
card.parse(content, context);
const events = [];
for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
const validation = card.validateProperties().validationEvents.map(e => e.message);
process.stdout.write(JSON.stringify({ version: card.version.toString(), elements: card.getItemCount(), parseEvents: events, validationEvents: validation }) + "\n");
