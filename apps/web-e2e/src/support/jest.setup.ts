// Browser journeys are many round trips each; give them room on a loaded CI machine.
jest.setTimeout(60_000);
