import { addTypenameToDocument } from '@apollo/client/utilities';
import { parse, print } from 'graphql';
import { MeDocument } from './generated/graphql';
import { ME_QUERY_TEXT } from './session.boot';

it('sends before the app loads the same Me query the client sends', () => {
  expect(print(parse(ME_QUERY_TEXT))).toBe(print(addTypenameToDocument(MeDocument)));
});
