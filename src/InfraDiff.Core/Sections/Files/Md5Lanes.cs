using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InfraDiff.Sections.Files;

/// <summary>
/// MD5 of several messages at once, one in each SIMD lane (the multi-buffer technique): MD5 is a serial chain within
/// one message, but a scan hashes thousands of independent files, so 16 of them (AVX-512), 8 (AVX2) or 4 (SSE, NEON)
/// advance together, each lane with its own state and its own data. The caller feeds whole 64-byte blocks, pads each
/// message's end (<see cref="Pad"/>) and reads each digest when its message is done; a lane left alone (the last
/// file of a scan) is finished one lane at a time by the same algorithm on scalars.
/// </summary>
internal sealed unsafe class Md5Lanes : IDisposable
{
    /// <summary>Bytes in an MD5 block.</summary>
    public const int BlockSize = 64;

    private readonly uint* state;
    private readonly uint* words;

    /// <summary>Lanes of the widest vectors this machine has, or <paramref name="width"/> (1, 4, 8 or 16) when it has them.</summary>
    public Md5Lanes(int? width = null)
    {
        Width = width ?? Widest;
        if (Width is not (1 or 4 or 8 or 16) || Width > Widest)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"this machine has 1 to {Widest} lanes");
        }

        state = (uint*)NativeMemory.AlignedAlloc((nuint)(4 * Width * sizeof(uint)), 64);
        words = (uint*)NativeMemory.AlignedAlloc((nuint)(16 * Width * sizeof(uint)), 64);
        for (var lane = 0; lane < Width; lane++)
        {
            Start(lane);
        }
    }

    /// <summary>The most lanes this machine computes at once.</summary>
    public static int Widest { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;

    /// <summary>How many messages advance together.</summary>
    public int Width { get; }

    /// <summary>Starts a new message in <paramref name="lane"/>.</summary>
    public void Start(int lane)
    {
        state[lane] = 0x67452301u;
        state[Width + lane] = 0xefcdab89u;
        state[(2 * Width) + lane] = 0x98badcfeu;
        state[(3 * Width) + lane] = 0x10325476u;
    }

    /// <summary>
    /// Advances every lane whose bit is set in <paramref name="active"/> by <paramref name="blocks"/> blocks, lane i's
    /// read from <c>from[i]</c> on; the other lanes' states are left as they were.
    /// </summary>
    public void Compress(ReadOnlySpan<nint> from, uint active, int blocks)
    {
        fixed (nint* sources = from)
        {
            switch (Width)
            {
                case 16:
                    Compress<Vector512<uint>, Lanes512>(0, active, sources, blocks);
                    break;
                case 8:
                    Compress<Vector256<uint>, Lanes256>(0, active, sources, blocks);
                    break;
                case 4:
                    Compress<Vector128<uint>, Lanes128>(0, active, sources, blocks);
                    break;
                default:
                    Compress<uint, Lane>(0, active, sources, blocks);
                    break;
            }
        }
    }

    /// <summary>Advances one lane by <paramref name="blocks"/> blocks read from <paramref name="from"/>, on scalars: for a lane left alone.</summary>
    public void CompressOne(int lane, nint from, int blocks)
    {
        var sources = stackalloc nint[Width];
        sources[lane] = from;
        Compress<uint, Lane>(lane, 1u << lane, sources, blocks);
    }

    /// <summary>The digest of the message in <paramref name="lane"/>, once its padded end was compressed.</summary>
    public byte[] Digest(int lane)
    {
        var digest = new byte[16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4 * i), state[(i * Width) + lane]);
        }

        return digest;
    }

    /// <summary>
    /// Writes MD5's padding after the last <paramref name="tail"/> bytes of a message of <paramref name="length"/> bytes,
    /// kept at the start of <paramref name="buffer"/> (which has room for <paramref name="tail"/> + 72 bytes); returns the
    /// bytes to compress from the buffer's start: one or two blocks.
    /// </summary>
    public static int Pad(Span<byte> buffer, int tail, long length)
    {
        var total = tail + 9 <= BlockSize ? BlockSize : 2 * BlockSize;
        buffer[tail] = 0x80;
        buffer[(tail + 1)..(total - 8)].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[(total - 8)..], (ulong)length * 8);
        return total;
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(state);
        NativeMemory.AlignedFree(words);
    }

    /// <summary>RFC 1321's 64 steps on <typeparamref name="TOps"/>'s lanes [first, first + Count), the message words laid out word-major.</summary>
    private void Compress<TV, TOps>(int first, uint active, nint* sources, int blocks)
        where TV : struct
        where TOps : struct, ILanes<TV>
    {
        var stride = Width;
        var a = TOps.Load(state + first);
        var b = TOps.Load(state + stride + first);
        var c = TOps.Load(state + (2 * stride) + first);
        var d = TOps.Load(state + (3 * stride) + first);
        var rows = stackalloc nint[TOps.Count];
        for (var block = 0; block < blocks; block++)
        {
            uint* message;
            int next;
            if (TOps.Count == 1 && BitConverter.IsLittleEndian)
            {
                // One lane: its words are read where they are.
                message = (uint*)((byte*)sources[first] + ((nint)block * BlockSize));
                next = 1;
            }
            else if (TOps.Transposes)
            {
                // A lane not busy reads any 64 bytes (its result is not kept): here, the scratch words.
                for (var lane = 0; lane < TOps.Count; lane++)
                {
                    rows[lane] = (active & (1u << lane)) != 0 ? sources[lane] + ((nint)block * BlockSize) : (nint)words;
                }

                TOps.Transpose(rows, words);
                message = words;
                next = stride;
            }
            else
            {
                // Each lane's 16 little-endian words, transposed so that word w of every lane is one vector.
                for (var lane = first; lane < first + TOps.Count; lane++)
                {
                    if ((active & (1u << lane)) != 0)
                    {
                        var source = (byte*)sources[lane] + ((nint)block * BlockSize);
                        for (var w = 0; w < 16; w++)
                        {
                            words[(w * stride) + lane] = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(source + (4 * w), 4));
                        }
                    }
                }

                message = words + first;
                next = stride;
            }

            var m0 = TOps.Load(message);
            var m1 = TOps.Load(message + next);
            var m2 = TOps.Load(message + (2 * next));
            var m3 = TOps.Load(message + (3 * next));
            var m4 = TOps.Load(message + (4 * next));
            var m5 = TOps.Load(message + (5 * next));
            var m6 = TOps.Load(message + (6 * next));
            var m7 = TOps.Load(message + (7 * next));
            var m8 = TOps.Load(message + (8 * next));
            var m9 = TOps.Load(message + (9 * next));
            var m10 = TOps.Load(message + (10 * next));
            var m11 = TOps.Load(message + (11 * next));
            var m12 = TOps.Load(message + (12 * next));
            var m13 = TOps.Load(message + (13 * next));
            var m14 = TOps.Load(message + (14 * next));
            var m15 = TOps.Load(message + (15 * next));
            var (aa, bb, cc, dd) = (a, b, c, d);
            a = Step(TOps.F(b, c, d), a, b, m0, 0xd76aa478u, 7);
            d = Step(TOps.F(a, b, c), d, a, m1, 0xe8c7b756u, 12);
            c = Step(TOps.F(d, a, b), c, d, m2, 0x242070dbu, 17);
            b = Step(TOps.F(c, d, a), b, c, m3, 0xc1bdceeeu, 22);
            a = Step(TOps.F(b, c, d), a, b, m4, 0xf57c0fafu, 7);
            d = Step(TOps.F(a, b, c), d, a, m5, 0x4787c62au, 12);
            c = Step(TOps.F(d, a, b), c, d, m6, 0xa8304613u, 17);
            b = Step(TOps.F(c, d, a), b, c, m7, 0xfd469501u, 22);
            a = Step(TOps.F(b, c, d), a, b, m8, 0x698098d8u, 7);
            d = Step(TOps.F(a, b, c), d, a, m9, 0x8b44f7afu, 12);
            c = Step(TOps.F(d, a, b), c, d, m10, 0xffff5bb1u, 17);
            b = Step(TOps.F(c, d, a), b, c, m11, 0x895cd7beu, 22);
            a = Step(TOps.F(b, c, d), a, b, m12, 0x6b901122u, 7);
            d = Step(TOps.F(a, b, c), d, a, m13, 0xfd987193u, 12);
            c = Step(TOps.F(d, a, b), c, d, m14, 0xa679438eu, 17);
            b = Step(TOps.F(c, d, a), b, c, m15, 0x49b40821u, 22);
            a = Step(TOps.G(b, c, d), a, b, m1, 0xf61e2562u, 5);
            d = Step(TOps.G(a, b, c), d, a, m6, 0xc040b340u, 9);
            c = Step(TOps.G(d, a, b), c, d, m11, 0x265e5a51u, 14);
            b = Step(TOps.G(c, d, a), b, c, m0, 0xe9b6c7aau, 20);
            a = Step(TOps.G(b, c, d), a, b, m5, 0xd62f105du, 5);
            d = Step(TOps.G(a, b, c), d, a, m10, 0x02441453u, 9);
            c = Step(TOps.G(d, a, b), c, d, m15, 0xd8a1e681u, 14);
            b = Step(TOps.G(c, d, a), b, c, m4, 0xe7d3fbc8u, 20);
            a = Step(TOps.G(b, c, d), a, b, m9, 0x21e1cde6u, 5);
            d = Step(TOps.G(a, b, c), d, a, m14, 0xc33707d6u, 9);
            c = Step(TOps.G(d, a, b), c, d, m3, 0xf4d50d87u, 14);
            b = Step(TOps.G(c, d, a), b, c, m8, 0x455a14edu, 20);
            a = Step(TOps.G(b, c, d), a, b, m13, 0xa9e3e905u, 5);
            d = Step(TOps.G(a, b, c), d, a, m2, 0xfcefa3f8u, 9);
            c = Step(TOps.G(d, a, b), c, d, m7, 0x676f02d9u, 14);
            b = Step(TOps.G(c, d, a), b, c, m12, 0x8d2a4c8au, 20);
            a = Step(TOps.H(b, c, d), a, b, m5, 0xfffa3942u, 4);
            d = Step(TOps.H(a, b, c), d, a, m8, 0x8771f681u, 11);
            c = Step(TOps.H(d, a, b), c, d, m11, 0x6d9d6122u, 16);
            b = Step(TOps.H(c, d, a), b, c, m14, 0xfde5380cu, 23);
            a = Step(TOps.H(b, c, d), a, b, m1, 0xa4beea44u, 4);
            d = Step(TOps.H(a, b, c), d, a, m4, 0x4bdecfa9u, 11);
            c = Step(TOps.H(d, a, b), c, d, m7, 0xf6bb4b60u, 16);
            b = Step(TOps.H(c, d, a), b, c, m10, 0xbebfbc70u, 23);
            a = Step(TOps.H(b, c, d), a, b, m13, 0x289b7ec6u, 4);
            d = Step(TOps.H(a, b, c), d, a, m0, 0xeaa127fau, 11);
            c = Step(TOps.H(d, a, b), c, d, m3, 0xd4ef3085u, 16);
            b = Step(TOps.H(c, d, a), b, c, m6, 0x04881d05u, 23);
            a = Step(TOps.H(b, c, d), a, b, m9, 0xd9d4d039u, 4);
            d = Step(TOps.H(a, b, c), d, a, m12, 0xe6db99e5u, 11);
            c = Step(TOps.H(d, a, b), c, d, m15, 0x1fa27cf8u, 16);
            b = Step(TOps.H(c, d, a), b, c, m2, 0xc4ac5665u, 23);
            a = Step(TOps.I(b, c, d), a, b, m0, 0xf4292244u, 6);
            d = Step(TOps.I(a, b, c), d, a, m7, 0x432aff97u, 10);
            c = Step(TOps.I(d, a, b), c, d, m14, 0xab9423a7u, 15);
            b = Step(TOps.I(c, d, a), b, c, m5, 0xfc93a039u, 21);
            a = Step(TOps.I(b, c, d), a, b, m12, 0x655b59c3u, 6);
            d = Step(TOps.I(a, b, c), d, a, m3, 0x8f0ccc92u, 10);
            c = Step(TOps.I(d, a, b), c, d, m10, 0xffeff47du, 15);
            b = Step(TOps.I(c, d, a), b, c, m1, 0x85845dd1u, 21);
            a = Step(TOps.I(b, c, d), a, b, m8, 0x6fa87e4fu, 6);
            d = Step(TOps.I(a, b, c), d, a, m15, 0xfe2ce6e0u, 10);
            c = Step(TOps.I(d, a, b), c, d, m6, 0xa3014314u, 15);
            b = Step(TOps.I(c, d, a), b, c, m13, 0x4e0811a1u, 21);
            a = Step(TOps.I(b, c, d), a, b, m4, 0xf7537e82u, 6);
            d = Step(TOps.I(a, b, c), d, a, m11, 0xbd3af235u, 10);
            c = Step(TOps.I(d, a, b), c, d, m2, 0x2ad7d2bbu, 15);
            b = Step(TOps.I(c, d, a), b, c, m9, 0xeb86d391u, 21);
            a = TOps.Add(a, aa);
            b = TOps.Add(b, bb);
            c = TOps.Add(c, cc);
            d = TOps.Add(d, dd);
        }

        // Lanes not active keep their state: a blend writes back only the active ones.
        for (var lane = first; lane < first + TOps.Count; lane++)
        {
            if ((active & (1u << lane)) == 0)
            {
                continue;
            }

            state[lane] = TOps.Get(a, lane - first);
            state[stride + lane] = TOps.Get(b, lane - first);
            state[(2 * stride) + lane] = TOps.Get(c, lane - first);
            state[(3 * stride) + lane] = TOps.Get(d, lane - first);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV Step(TV f, TV a, TV b, TV m, uint k, [ConstantExpected] byte s) =>
            TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(a, f), TOps.Add(m, TOps.Splat(k))), s));
    }

    /// <summary>The operations MD5 needs, on as many lanes as a vector holds.</summary>
    private interface ILanes<TV>
    {
        static abstract int Count { get; }

        /// <summary>Whether <see cref="Transpose"/> lays out the message words in registers; else they are moved one by one.</summary>
        static abstract bool Transposes { get; }

        /// <summary>Writes word w of each row (a lane's 64-byte block) to <c>words[w * Count + lane]</c>.</summary>
        static abstract void Transpose(nint* rows, uint* words);

        static abstract TV Load(uint* source);

        static abstract uint Get(TV vector, int lane);

        static abstract TV Splat(uint value);

        static abstract TV Add(TV x, TV y);

        static abstract TV RotateLeft(TV x, [ConstantExpected] byte bits);

        /// <summary>(b and c) or (not b and d).</summary>
        static abstract TV F(TV b, TV c, TV d);

        /// <summary>(b and d) or (c and not d).</summary>
        static abstract TV G(TV b, TV c, TV d);

        /// <summary>b xor c xor d.</summary>
        static abstract TV H(TV b, TV c, TV d);

        /// <summary>c xor (b or not d).</summary>
        static abstract TV I(TV b, TV c, TV d);
    }

    /// <summary>16 lanes: AVX-512's rotate and its three-input logic, each function one instruction.</summary>
    private readonly struct Lanes512 : ILanes<Vector512<uint>>
    {
        public static int Count => 16;

        public static bool Transposes => true;

        /// <summary>
        /// A 16×16 transpose of 32-bit words in four rounds of shuffles: pairs of rows interleaved by words, then by
        /// pairs of words, then 128-bit blocks gathered twice, so word w of the 16 rows ends in one register.
        /// </summary>
        public static void Transpose(nint* rows, uint* words)
        {
            var x0 = Vector512.Load((uint*)rows[0]);
            var x1 = Vector512.Load((uint*)rows[1]);
            var x2 = Vector512.Load((uint*)rows[2]);
            var x3 = Vector512.Load((uint*)rows[3]);
            var x4 = Vector512.Load((uint*)rows[4]);
            var x5 = Vector512.Load((uint*)rows[5]);
            var x6 = Vector512.Load((uint*)rows[6]);
            var x7 = Vector512.Load((uint*)rows[7]);
            var x8 = Vector512.Load((uint*)rows[8]);
            var x9 = Vector512.Load((uint*)rows[9]);
            var x10 = Vector512.Load((uint*)rows[10]);
            var x11 = Vector512.Load((uint*)rows[11]);
            var x12 = Vector512.Load((uint*)rows[12]);
            var x13 = Vector512.Load((uint*)rows[13]);
            var x14 = Vector512.Load((uint*)rows[14]);
            var x15 = Vector512.Load((uint*)rows[15]);
            var r0 = Avx512F.UnpackLow(x0, x1);
            var r1 = Avx512F.UnpackHigh(x0, x1);
            var r2 = Avx512F.UnpackLow(x2, x3);
            var r3 = Avx512F.UnpackHigh(x2, x3);
            var r4 = Avx512F.UnpackLow(x4, x5);
            var r5 = Avx512F.UnpackHigh(x4, x5);
            var r6 = Avx512F.UnpackLow(x6, x7);
            var r7 = Avx512F.UnpackHigh(x6, x7);
            var r8 = Avx512F.UnpackLow(x8, x9);
            var r9 = Avx512F.UnpackHigh(x8, x9);
            var r10 = Avx512F.UnpackLow(x10, x11);
            var r11 = Avx512F.UnpackHigh(x10, x11);
            var r12 = Avx512F.UnpackLow(x12, x13);
            var r13 = Avx512F.UnpackHigh(x12, x13);
            var r14 = Avx512F.UnpackLow(x14, x15);
            var r15 = Avx512F.UnpackHigh(x14, x15);

            // Each group of four rows: u(g + k) holds words k, k + 4, k + 8, k + 12 of those rows, one per 128-bit block.
            var u0 = Avx512F.UnpackLow(r0.AsUInt64(), r2.AsUInt64()).AsUInt32();
            var u1 = Avx512F.UnpackHigh(r0.AsUInt64(), r2.AsUInt64()).AsUInt32();
            var u2 = Avx512F.UnpackLow(r1.AsUInt64(), r3.AsUInt64()).AsUInt32();
            var u3 = Avx512F.UnpackHigh(r1.AsUInt64(), r3.AsUInt64()).AsUInt32();
            var u4 = Avx512F.UnpackLow(r4.AsUInt64(), r6.AsUInt64()).AsUInt32();
            var u5 = Avx512F.UnpackHigh(r4.AsUInt64(), r6.AsUInt64()).AsUInt32();
            var u6 = Avx512F.UnpackLow(r5.AsUInt64(), r7.AsUInt64()).AsUInt32();
            var u7 = Avx512F.UnpackHigh(r5.AsUInt64(), r7.AsUInt64()).AsUInt32();
            var u8 = Avx512F.UnpackLow(r8.AsUInt64(), r10.AsUInt64()).AsUInt32();
            var u9 = Avx512F.UnpackHigh(r8.AsUInt64(), r10.AsUInt64()).AsUInt32();
            var u10 = Avx512F.UnpackLow(r9.AsUInt64(), r11.AsUInt64()).AsUInt32();
            var u11 = Avx512F.UnpackHigh(r9.AsUInt64(), r11.AsUInt64()).AsUInt32();
            var u12 = Avx512F.UnpackLow(r12.AsUInt64(), r14.AsUInt64()).AsUInt32();
            var u13 = Avx512F.UnpackHigh(r12.AsUInt64(), r14.AsUInt64()).AsUInt32();
            var u14 = Avx512F.UnpackLow(r13.AsUInt64(), r15.AsUInt64()).AsUInt32();
            var u15 = Avx512F.UnpackHigh(r13.AsUInt64(), r15.AsUInt64()).AsUInt32();
            Gather(u0, u4, u8, u12, words);
            Gather(u1, u5, u9, u13, words + 16);
            Gather(u2, u6, u10, u14, words + 32);
            Gather(u3, u7, u11, u15, words + 48);

            // Words k, k + 4, k + 8, k + 12 of rows 0-3, 4-7, 8-11, 12-15, one per block of each, into one register per
            // word: blocks 0 and 2, or 1 and 3, of two registers (0x88 takes them as 0, 2, 0, 2; 0xDD as 1, 3, 1, 3).
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static void Gather(Vector512<uint> rows0, Vector512<uint> rows4, Vector512<uint> rows8, Vector512<uint> rows12, uint* word)
            {
                var low = Avx512F.Shuffle4x128(rows0, rows4, 0x88);
                var high = Avx512F.Shuffle4x128(rows0, rows4, 0xDD);
                var low2 = Avx512F.Shuffle4x128(rows8, rows12, 0x88);
                var high2 = Avx512F.Shuffle4x128(rows8, rows12, 0xDD);
                Avx512F.Shuffle4x128(low, low2, 0x88).Store(word);
                Avx512F.Shuffle4x128(high, high2, 0x88).Store(word + (16 * 4));
                Avx512F.Shuffle4x128(low, low2, 0xDD).Store(word + (16 * 8));
                Avx512F.Shuffle4x128(high, high2, 0xDD).Store(word + (16 * 12));
            }
        }

        public static Vector512<uint> Load(uint* source) => Vector512.Load(source);

        public static uint Get(Vector512<uint> vector, int lane) => vector.GetElement(lane);

        public static Vector512<uint> Splat(uint value) => Vector512.Create(value);

        public static Vector512<uint> Add(Vector512<uint> x, Vector512<uint> y) => x + y;

        public static Vector512<uint> RotateLeft(Vector512<uint> x, [ConstantExpected] byte bits) => Avx512F.RotateLeft(x, bits);

        public static Vector512<uint> F(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0xCA);

        public static Vector512<uint> G(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0xE4);

        public static Vector512<uint> H(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0x96);

        public static Vector512<uint> I(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0x39);
    }

    /// <summary>8 lanes (AVX2).</summary>
    private readonly struct Lanes256 : ILanes<Vector256<uint>>
    {
        public static int Count => 8;

        public static bool Transposes => false;

        public static void Transpose(nint* rows, uint* words) => throw new NotSupportedException();

        public static Vector256<uint> Load(uint* source) => Vector256.Load(source);

        public static uint Get(Vector256<uint> vector, int lane) => vector.GetElement(lane);

        public static Vector256<uint> Splat(uint value) => Vector256.Create(value);

        public static Vector256<uint> Add(Vector256<uint> x, Vector256<uint> y) => x + y;

        public static Vector256<uint> RotateLeft(Vector256<uint> x, [ConstantExpected] byte bits) => Vector256.ShiftLeft(x, bits) | Vector256.ShiftRightLogical(x, 32 - bits);

        public static Vector256<uint> F(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => d ^ (b & (c ^ d));

        public static Vector256<uint> G(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => c ^ (d & (b ^ c));

        public static Vector256<uint> H(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => b ^ c ^ d;

        public static Vector256<uint> I(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => c ^ (b | ~d);
    }

    /// <summary>4 lanes (SSE2, NEON).</summary>
    private readonly struct Lanes128 : ILanes<Vector128<uint>>
    {
        public static int Count => 4;

        public static bool Transposes => false;

        public static void Transpose(nint* rows, uint* words) => throw new NotSupportedException();

        public static Vector128<uint> Load(uint* source) => Vector128.Load(source);

        public static uint Get(Vector128<uint> vector, int lane) => vector.GetElement(lane);

        public static Vector128<uint> Splat(uint value) => Vector128.Create(value);

        public static Vector128<uint> Add(Vector128<uint> x, Vector128<uint> y) => x + y;

        public static Vector128<uint> RotateLeft(Vector128<uint> x, [ConstantExpected] byte bits) => Vector128.ShiftLeft(x, bits) | Vector128.ShiftRightLogical(x, 32 - bits);

        public static Vector128<uint> F(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => d ^ (b & (c ^ d));

        public static Vector128<uint> G(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => c ^ (d & (b ^ c));

        public static Vector128<uint> H(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => b ^ c ^ d;

        public static Vector128<uint> I(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => c ^ (b | ~d);
    }

    /// <summary>One lane, on scalars: where there are no vectors, and for a lane left alone.</summary>
    private readonly struct Lane : ILanes<uint>
    {
        public static int Count => 1;

        public static bool Transposes => false;

        public static void Transpose(nint* rows, uint* words) => throw new NotSupportedException();

        public static uint Load(uint* source) => *source;

        public static uint Get(uint vector, int lane) => vector;

        public static uint Splat(uint value) => value;

        public static uint Add(uint x, uint y) => x + y;

        public static uint RotateLeft(uint x, [ConstantExpected] byte bits) => System.Numerics.BitOperations.RotateLeft(x, bits);

        public static uint F(uint b, uint c, uint d) => d ^ (b & (c ^ d));

        public static uint G(uint b, uint c, uint d) => c ^ (d & (b ^ c));

        public static uint H(uint b, uint c, uint d) => b ^ c ^ d;

        public static uint I(uint b, uint c, uint d) => c ^ (b | ~d);
    }
}
