// Deny by default: every @Resolver class must declare who may call it, either with a
// class-level @RequireRole()/@Authenticated()/@Public() or one on each of its @Query/@Mutation/@ResolveField methods.
// The global guard refuses anything unmarked at run time too; this rule catches it at lint.
const OPERATION = new Set(['Query', 'Mutation', 'ResolveField', 'Subscription']);
const ACCESS = new Set(['RequireRole', 'Public', 'Authenticated']);

const names = (node) =>
  (node.decorators ?? [])
    .map((d) => (d.expression.type === 'CallExpression' ? d.expression.callee.name : d.expression.name))
    .filter(Boolean);

export default {
  meta: {
    type: 'problem',
    docs: { description: 'every resolver operation declares its access with @RequireRole, @Authenticated or @Public' },
    messages: { unguarded: '{{name}} has no @RequireRole/@Authenticated/@Public: say who may call it.' },
    schema: [],
  },
  create(context) {
    return {
      ClassDeclaration(node) {
        const classNames = names(node);
        if (!classNames.includes('Resolver')) return;
        if (classNames.some((n) => ACCESS.has(n))) return;
        for (const member of node.body.body) {
          if (member.type !== 'MethodDefinition') continue;
          const m = names(member);
          if (m.some((n) => OPERATION.has(n)) && !m.some((n) => ACCESS.has(n))) {
            context.report({ node: member, messageId: 'unguarded', data: { name: `${node.id?.name}.${member.key.name}` } });
          }
        }
      },
    };
  },
};
